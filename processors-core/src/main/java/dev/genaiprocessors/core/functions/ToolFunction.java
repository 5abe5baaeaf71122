package dev.genaiprocessors.core.functions;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method as a tool for {@link Tool#fromMethods(Object)}. The tool's name is the
 * method's name unless {@link #name()} is given; its parameters are the method's parameters (compile
 * with {@code -parameters} so their names are kept, or name them with {@link ToolParam#name()}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ToolFunction {
  /**
   * What the tool does, for the model.
   *
   * @return the description, not empty
   */
  String description();

  /**
   * The tool's name; the method's name when empty.
   *
   * @return the name, or empty for the method's name
   */
  String name() default "";
}
