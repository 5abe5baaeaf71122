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
  /** What the parameter means, for the model. */
  String description() default "";

  /** The parameter's name; the Java name when empty. */
  String name() default "";

  /** Whether the model must give it; true by default. */
  boolean required() default true;
}
