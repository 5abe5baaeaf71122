package dev.genaiprocessors.core.functions;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Describes a parameter of a {@link ToolFunction} method, or a component of a parameters record. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface ToolParam {
  /**
   * What the parameter means, for the model.
   *
   * @return the description, or empty for none
   */
  String description() default "";

  /**
   * The parameter's name; the Java name when empty.
   *
   * @return the name, or empty for the Java name
   */
  String name() default "";

  /**
   * Whether the model must give it; true by default.
   *
   * @return whether the parameter is required
   */
  boolean required() default true;
}
