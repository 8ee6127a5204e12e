package dev.miu.core.tool;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that {@link Tools#fromObject(Object)} turns into a tool. Parameter names come from
 * {@link Param} or, when the class was compiled with {@code -parameters}, from the method itself.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ToolMethod {
    /** Tool name; the method name when empty. */
    String name() default "";

    String description();
}
