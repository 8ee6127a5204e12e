package dev.miu.config;

import dev.miu.core.ConfigurationException;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.spi.ConfigNode;
import io.helidon.config.spi.ConfigParser;
import io.helidon.config.spi.ConfigParserException;
import io.helidon.config.yaml.YamlConfigParser;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A configuration file's tree (app.yaml): sections, lists and values, read at dotted keys such as
 * {@code server.port}. A value of the wrong type is a {@link ConfigurationException} that names the file, the key
 * and the value. A blank value ({@code port:}) counts as not set.
 * <p>
 * YAML is read straight into this tree: by {@link BlockYaml} when the file keeps to the block style config files
 * use, else by Helidon's YAML parser. Building a Helidon {@code Config} from it first (its providers, mappers, key
 * resolution and change support, none of which miu uses) cost the server about 25 ms of its start-up
 * (interleaved start-ups of the runtime image).
 *
 * @see MiuConfig#yaml()
 */
public final class ConfigTree {

    // The readers below use instanceof, not pattern switches: each switch on types builds a class the first time
    // it runs (the AOT cache does not keep them), 2 to 3 ms apiece of serve's start-up.

    /** What a key holds. */
    public enum Type { OBJECT, LIST, VALUE, MISSING }

    private final String source;
    private final String key;
    private final Object node; // Map<String, Object>, List<Object>, String, or null when missing

    private ConfigTree(String source, String key, Object node) {
        this.source = source;
        this.key = key;
        this.node = node;
    }

    /** A tree with nothing in it. */
    public static ConfigTree empty(String source) {
        return new ConfigTree(source, "", Map.of());
    }

    /**
     * Parses YAML text; {@code source} names it in errors. Fails with a {@link ConfigurationException} when the
     * text is not YAML or its top level is not a mapping of keys.
     */
    public static ConfigTree parseYaml(String text, String source) {
        Map<String, Object> root = BlockYaml.parse(text).orElseGet(() -> parseFully(text, source));
        return new ConfigTree(source, "", root);
    }

    /** Helidon's YAML parser (SnakeYAML): all of YAML, and the errors; {@link BlockYaml} reads the usual files faster. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseFully(String text, String source) {
        ConfigNode.ObjectNode root;
        try {
            root = YamlConfigParser.create().parse(ConfigParser.Content.builder()
                    .data(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))
                    .mediaType(MediaTypes.APPLICATION_X_YAML)
                    .build());
        } catch (ConfigParserException e) {
            if (e.getCause() instanceof ClassCastException) { // the parser casts the document to a map
                throw new ConfigurationException("Bad configuration in " + source
                        + ": the top level must be keys and values (such as \"server:\"), not a list or a single value");
            }
            throw new ConfigurationException("Bad configuration in " + source + ": " + e.getMessage());
        }
        return (Map<String, Object>) plain(root);
    }

    /**
     * A tree of plain values: maps with string keys, lists, and strings (other leaves become their text). For
     * other config formats, read by other parsers.
     */
    static ConfigTree of(Map<String, ?> root, String source) {
        return new ConfigTree(source, "", plain(root));
    }

    private static Object plain(Object node) {
        return switch (node) {
            case ConfigNode.ObjectNode object -> plainMap(object);
            case ConfigNode.ListNode list -> plainList(list);
            case ConfigNode.ValueNode value -> value.get();
            case Map<?, ?> map -> plainMap(map);
            case List<?> list -> plainList(list);
            case null -> "";
            default -> node.toString();
        };
    }

    private static Map<String, Object> plainMap(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
        return Collections.unmodifiableMap(out);
    }

    private static List<Object> plainList(List<?> list) {
        List<Object> out = new ArrayList<>(list.size());
        list.forEach(v -> out.add(plain(v)));
        return Collections.unmodifiableList(out);
    }

    /** The node at {@code dottedKey} below this one ({@code a.b.c}; a list's items are {@code 0}, {@code 1}, ...). */
    public ConfigTree get(String dottedKey) {
        Object at = node;
        String path = key;
        for (String part : dottedKey.split("\\.", -1)) {
            path = path.isEmpty() ? part : path + "." + part;
            if (at instanceof Map<?, ?> map) {
                at = map.get(part);
            } else if (at instanceof List<?> list) {
                at = index(part) < list.size() ? list.get(index(part)) : null;
            } else {
                at = null;
            }
        }
        return new ConfigTree(source, path, at);
    }

    private static int index(String part) {
        try {
            return part.isEmpty() || part.length() > 9 ? Integer.MAX_VALUE : Integer.parseUnsignedInt(part);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    public Type type() {
        if (node instanceof Map<?, ?>) {
            return Type.OBJECT;
        }
        if (node instanceof List<?>) {
            return Type.LIST;
        }
        return node instanceof String ? Type.VALUE : Type.MISSING;
    }

    public boolean exists() {
        return node != null;
    }

    /** The full dotted key ({@code ""} for the root). */
    public String key() {
        return key;
    }

    /** The last part of the key: a section's or value's name, or a list item's index. */
    public String name() {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /**
     * The sections and values of an object (in no set order: Helidon's YAML parser does not keep the file's), or
     * the items of a list in order; none for anything else.
     */
    public List<ConfigTree> children() {
        List<ConfigTree> children = new ArrayList<>();
        String prefix = key.isEmpty() ? "" : key + ".";
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> children.add(new ConfigTree(source, prefix + k, v)));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                children.add(new ConfigTree(source, prefix + i, list.get(i)));
            }
        }
        return children;
    }

    /** The value as written; empty when the key is missing. A section or list here is an error. */
    public Optional<String> asString() {
        if (node == null) {
            return Optional.empty();
        }
        if (node instanceof String value) {
            return Optional.of(value);
        }
        throw wrong("a single value", "a " + (node instanceof List<?> ? "list" : "section"));
    }

    public Optional<Integer> asInt() {
        return asLong().map(v -> {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw wrong("a whole number", "'" + v + "'");
            }
            return v.intValue();
        });
    }

    public Optional<Long> asLong() {
        return set().map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw wrong("a whole number", "'" + v + "'");
            }
        });
    }

    public Optional<Double> asDouble() {
        return set().map(v -> {
            try {
                double d = Double.parseDouble(v);
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw wrong("a number", "'" + v + "'");
        });
    }

    /** {@code true} or {@code false} (any case). */
    public Optional<Boolean> asBoolean() {
        return set().map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw wrong("true or false", "'" + v + "'");
        });
    }

    /** A list of values; a single value is a list of one, a blank one an empty list. */
    public Optional<List<String>> asStringList() {
        if (node == null) {
            return Optional.empty();
        }
        if (node instanceof String value) {
            return Optional.of(value.isBlank() ? List.of() : List.of(value));
        }
        if (!(node instanceof List<?>)) {
            throw wrong("a list of values", "a section");
        }
        List<String> values = new ArrayList<>();
        for (ConfigTree item : children()) {
            if (item.type() != Type.VALUE) {
                throw item.wrong("a single value", item.type() == Type.LIST ? "a list" : "a section");
            }
            values.add(item.node.toString());
        }
        return Optional.of(List.copyOf(values));
    }

    /** The value unless missing or blank. */
    private Optional<String> set() {
        return asString().map(String::strip).filter(v -> !v.isEmpty());
    }

    private ConfigurationException wrong(String expected, String found) {
        return new ConfigurationException("Bad configuration in " + source + ": " + key + " must be " + expected
                + ", found " + found);
    }

    @Override
    public String toString() {
        return key + " in " + source + ": " + type();
    }
}
