package dev.miu.core.tool;

import dev.miu.core.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Builds {@link Tool}s from plain Java without hand-written schemas: from a record type and a function of it,
 * or from {@link ToolMethod}-annotated methods. No proxies: the result is an ordinary tool value.
 */
public final class Tools {

    private Tools() {}

    /**
     * A tool whose input is the record {@code inputType}: its schema comes from the record's components
     * (with {@link Description}s), and the model's arguments arrive as an instance of it.
     */
    public static <R extends Record> Tool fromRecord(
            String name, String description, Class<R> inputType, Function<R, ?> handler) {
        return fromRecord(name, description, inputType, (input, ctx) -> handler.apply(input));
    }

    /** As {@link #fromRecord(String, String, Class, Function)}, with the call's {@link ToolContext}. */
    public static <R extends Record> Tool fromRecord(
            String name, String description, Class<R> inputType, BiFunction<R, ToolContext, ?> handler) {
        JsonObject schema = JsonMapper.recordSchema(inputType);
        return Tool.of(name, description, schema, (input, ctx) -> {
            R value;
            try {
                value = inputType.cast(JsonMapper.fromJson(input, inputType));
            } catch (IllegalArgumentException | ClassCastException e) {
                return ToolResult.error("Invalid arguments: " + e.getMessage());
            }
            return toResult(handler.apply(value, ctx));
        });
    }

    /** One tool per {@link ToolMethod} on {@code target}'s class (public methods; static or instance). */
    public static List<Tool> fromObject(Object target) {
        List<Tool> tools = new ArrayList<>();
        Class<?> type = target instanceof Class<?> c ? c : target.getClass();
        for (Method m : type.getMethods()) {
            ToolMethod annotation = m.getAnnotation(ToolMethod.class);
            if (annotation != null) {
                tools.add(fromMethod(Modifier.isStatic(m.getModifiers()) ? null : target, m));
            }
        }
        tools.sort(java.util.Comparator.comparing(Tool::name));
        if (tools.isEmpty()) {
            throw new IllegalArgumentException(type.getName() + " has no public @ToolMethod methods");
        }
        return tools;
    }

    /** A tool from one method: each parameter becomes a property; a {@link ToolContext} parameter is passed in. */
    public static Tool fromMethod(Object target, Method method) {
        ToolMethod annotation = method.getAnnotation(ToolMethod.class);
        String name = annotation != null && !annotation.name().isEmpty() ? annotation.name() : method.getName();
        String description = annotation != null ? annotation.description() : method.getName();
        Parameter[] params = method.getParameters();
        String[] names = new String[params.length];
        var properties = Json.object();
        var required = Json.array();
        for (int i = 0; i < params.length; i++) {
            Parameter p = params[i];
            if (p.getType() == ToolContext.class) {
                continue;
            }
            Param param = p.getAnnotation(Param.class);
            names[i] = param != null && !param.value().isEmpty() ? param.value() : p.getName();
            if (!p.isNamePresent() && (param == null || param.value().isEmpty())) {
                throw new IllegalArgumentException("Parameter " + i + " of " + method.getName()
                        + " needs @Param(\"name\") or compiling with -parameters");
            }
            JsonObject schema = JsonMapper.schema(p.getParameterizedType());
            String paramDescription = param != null && !param.description().isEmpty()
                    ? param.description()
                    : p.getAnnotation(Description.class) != null
                            ? p.getAnnotation(Description.class).value()
                            : null;
            if (paramDescription != null) {
                schema = Json.PROVIDER
                        .createObjectBuilder(schema)
                        .add("description", paramDescription)
                        .build();
            }
            properties.add(names[i], schema);
            if ((param == null || param.required()) && p.getType() != java.util.Optional.class) {
                required.add(names[i]);
            }
        }
        JsonObject schema = Json.object()
                .add("type", "object")
                .add("properties", properties)
                .add("required", required)
                .build();
        method.setAccessible(true);
        return Tool.of(name, description, schema, (input, ctx) -> {
            Object[] args = new Object[params.length];
            for (int i = 0; i < params.length; i++) {
                if (params[i].getType() == ToolContext.class) {
                    args[i] = ctx;
                    continue;
                }
                try {
                    args[i] = JsonMapper.fromJson(input.get(names[i]), params[i].getParameterizedType());
                } catch (IllegalArgumentException | ClassCastException e) {
                    return ToolResult.error("Invalid argument '" + names[i] + "': " + e.getMessage());
                }
            }
            try {
                return toResult(method.invoke(target, args));
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Exception ex) {
                    throw ex;
                }
                throw e;
            }
        });
    }

    /** Tool return values: a {@link ToolResult} as is, a string as text, null as empty, anything else as JSON. */
    static ToolResult toResult(Object value) {
        return switch (value) {
            case null -> ToolResult.ok("");
            case ToolResult r -> r;
            case String s -> ToolResult.ok(s);
            case JsonString s -> ToolResult.ok(s.getString());
            default -> ToolResult.ok(Json.write(JsonMapper.toJson(value)));
        };
    }
}
