package dev.miu.core.tool;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Names and describes a {@link ToolMethod} parameter. {@code required = false} lets the model omit it (it arrives as null or zero). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Param {
    String value() default "";

    String description() default "";

    boolean required() default true;
}
