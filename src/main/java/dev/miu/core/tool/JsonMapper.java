package dev.miu.core.tool;

import dev.miu.core.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps between JSON and plain Java types for tools: JSON schemas from types, arguments into records and
 * parameters, and results back to JSON. Supports strings, numbers, booleans, enums, records, lists, sets,
 * arrays, {@code Map<String, V>}, {@code Optional<T>} and JSON-P values.
 */
public final class JsonMapper {

    private JsonMapper() {}

    /** The JSON schema for {@code type}. Record components and parameters typed {@code Optional} are not required. */
    public static JsonObject schema(Type type) {
        Class<?> raw = raw(type);
        if (raw == String.class || raw == char.class || raw == Character.class) {
            return Json.object().add("type", "string").build();
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return Json.object().add("type", "boolean").build();
        }
        if (raw == int.class
                || raw == long.class
                || raw == short.class
                || raw == byte.class
                || raw == Integer.class
                || raw == Long.class
                || raw == Short.class
                || raw == Byte.class
                || raw == BigInteger.class) {
            return Json.object().add("type", "integer").build();
        }
        if (raw == double.class
                || raw == float.class
                || raw == Double.class
                || raw == Float.class
                || raw == BigDecimal.class
                || raw == Number.class) {
            return Json.object().add("type", "number").build();
        }
        if (raw.isEnum()) {
            var values = Json.array();
            for (Object c : raw.getEnumConstants()) {
                values.add(((Enum<?>) c).name());
            }
            return Json.object().add("type", "string").add("enum", values).build();
        }
        if (raw == Optional.class) {
            return schema(typeArg(type, 0));
        }
        if (raw.isArray()) {
            return Json.object()
                    .add("type", "array")
                    .add("items", schema(componentType(type)))
                    .build();
        }
        if (Collection.class.isAssignableFrom(raw)) {
            return Json.object()
                    .add("type", "array")
                    .add("items", schema(typeArg(type, 0)))
                    .build();
        }
        if (Map.class.isAssignableFrom(raw)) {
            return Json.object()
                    .add("type", "object")
                    .add("additionalProperties", schema(typeArg(type, 1)))
                    .build();
        }
        if (raw.isRecord()) {
            return recordSchema(raw);
        }
        if (JsonObject.class.isAssignableFrom(raw)) {
            return Json.object().add("type", "object").build();
        }
        if (JsonValue.class.isAssignableFrom(raw) || raw == Object.class) {
            return Json.EMPTY_OBJECT;
        }
        throw new IllegalArgumentException("No JSON schema for type " + type.getTypeName()
                + "; use strings, numbers, booleans, enums, records, lists or maps");
    }

    static JsonObject recordSchema(Class<?> record) {
        var properties = Json.object();
        var required = Json.array();
        for (RecordComponent c : record.getRecordComponents()) {
            JsonObject propertySchema = schema(c.getGenericType());
            Description d = c.getAnnotation(Description.class);
            if (d != null) {
                propertySchema = Json.PROVIDER
                        .createObjectBuilder(propertySchema)
                        .add("description", d.value())
                        .build();
            }
            properties.add(c.getName(), propertySchema);
            if (c.getType() != Optional.class) {
                required.add(c.getName());
            }
        }
        var schema = Json.object()
                .add("type", "object")
                .add("properties", properties)
                .add("required", required);
        Description d = record.getAnnotation(Description.class);
        if (d != null) {
            schema.add("description", d.value());
        }
        return schema.build();
    }

    /** Converts JSON into a value of {@code type}; a mismatch is an {@link IllegalArgumentException}. */
    public static Object fromJson(JsonValue value, Type type) {
        Class<?> raw = raw(type);
        if (raw == Optional.class) {
            return value == null || value == JsonValue.NULL
                    ? Optional.empty()
                    : Optional.of(fromJson(value, typeArg(type, 0)));
        }
        if (value == null || value == JsonValue.NULL) {
            if (raw.isPrimitive()) {
                return raw == boolean.class ? false : raw == char.class ? '\0' : convertNumber(BigDecimal.ZERO, raw);
            }
            return null;
        }
        if (JsonValue.class.isAssignableFrom(raw)) {
            return value;
        }
        if (raw == String.class) {
            return value instanceof JsonString s ? s.getString() : Json.write(value);
        }
        if (raw == char.class || raw == Character.class) {
            String s = ((JsonString) value).getString();
            return s.isEmpty() ? '\0' : s.charAt(0);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
                return value == JsonValue.TRUE;
            }
            throw new IllegalArgumentException("expected a boolean");
        }
        if (value instanceof JsonNumber n) {
            return convertNumber(n.bigDecimalValue(), raw);
        }
        if (raw.isEnum()) {
            String name = ((JsonString) value).getString();
            for (Object c : raw.getEnumConstants()) {
                if (((Enum<?>) c).name().equals(name)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown value '" + name + "' for " + raw.getSimpleName());
        }
        if (raw.isArray() && value instanceof JsonArray arr) {
            Type component = componentType(type);
            Object out = Array.newInstance(raw(component), arr.size());
            for (int i = 0; i < arr.size(); i++) {
                Array.set(out, i, fromJson(arr.get(i), component));
            }
            return out;
        }
        if (Collection.class.isAssignableFrom(raw) && value instanceof JsonArray arr) {
            Collection<Object> out = Set.class.isAssignableFrom(raw) ? new LinkedHashSet<>() : new ArrayList<>();
            for (JsonValue v : arr) {
                out.add(fromJson(v, typeArg(type, 0)));
            }
            return out;
        }
        if (Map.class.isAssignableFrom(raw) && value instanceof JsonObject obj) {
            Map<String, Object> out = new LinkedHashMap<>();
            obj.forEach((k, v) -> out.put(k, fromJson(v, typeArg(type, 1))));
            return out;
        }
        if (raw.isRecord() && value instanceof JsonObject obj) {
            return toRecord(obj, raw);
        }
        if (raw == Object.class) {
            return toPlain(value);
        }
        throw new IllegalArgumentException("cannot read " + value.getValueType() + " as " + type.getTypeName());
    }

    private static Object toRecord(JsonObject obj, Class<?> raw) {
        RecordComponent[] components = raw.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = fromJson(obj.get(components[i].getName()), components[i].getGenericType());
        }
        try {
            Constructor<?> ctor = raw.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalArgumentException(
                    cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot construct " + raw.getName(), e);
        }
    }

    /** Converts a Java value (records, collections, maps, scalars, JSON-P) into JSON. */
    public static JsonValue toJson(Object value) {
        if (value != null && value.getClass().isRecord()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (RecordComponent c : value.getClass().getRecordComponents()) {
                try {
                    var accessor = c.getAccessor();
                    accessor.setAccessible(true);
                    fields.put(c.getName(), toJson(accessor.invoke(value)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return Json.toJson(fields);
        }
        if (value instanceof Optional<?> o) {
            return toJson(o.orElse(null));
        }
        if (value instanceof Enum<?> e) {
            return Json.string(e.name());
        }
        if (value instanceof Collection<?> c) {
            var arr = Json.array();
            c.forEach(v -> arr.add(toJson(v)));
            return arr.build();
        }
        if (value instanceof Map<?, ?> m) {
            var obj = Json.object();
            m.forEach((k, v) -> obj.add(String.valueOf(k), toJson(v)));
            return obj.build();
        }
        return Json.toJson(value);
    }

    private static Object toPlain(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> fromJson(value, Map.class);
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                value.asJsonArray().forEach(v -> out.add(toPlain(v)));
                yield out;
            }
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> ((JsonNumber) value).bigDecimalValue();
            case TRUE -> true;
            case FALSE -> false;
            case NULL -> null;
        };
    }

    private static Object convertNumber(BigDecimal n, Class<?> raw) {
        try {
            if (raw == int.class || raw == Integer.class) return n.intValueExact();
            if (raw == long.class || raw == Long.class) return n.longValueExact();
            if (raw == short.class || raw == Short.class) return n.shortValueExact();
            if (raw == byte.class || raw == Byte.class) return n.byteValueExact();
            if (raw == BigInteger.class) return n.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(n + " is not a whole number in range for " + raw.getSimpleName());
        }
        if (raw == double.class || raw == Double.class || raw == Number.class || raw == Object.class)
            return n.doubleValue();
        if (raw == float.class || raw == Float.class) return n.floatValue();
        if (raw == BigDecimal.class) return n;
        if (raw == String.class) return n.toPlainString();
        throw new IllegalArgumentException("cannot read a number as " + raw.getSimpleName());
    }

    static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof GenericArrayType g) {
            return Array.newInstance(raw(g.getGenericComponentType()), 0).getClass();
        }
        return Object.class;
    }

    private static Type typeArg(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }

    private static Type componentType(Type type) {
        if (type instanceof GenericArrayType g) {
            return g.getGenericComponentType();
        }
        return ((Class<?>) type).getComponentType();
    }
}
