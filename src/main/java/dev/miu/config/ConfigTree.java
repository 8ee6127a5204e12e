package dev.miu.config;

import dev.miu.core.ConfigurationException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * A configuration file's tree (app.yaml): sections, lists and values, read at dotted keys such as
 * {@code server.port}. A value of the wrong type is a {@link ConfigurationException} that names the file, the key
 * and the value. A blank value ({@code port:}) counts as not set.
 * <p>
 * The tree remembers which keys its readers asked for: those are the known keys, and {@link UnknownKeys} reports
 * the rest. Only {@link MiuConfig#load} reads a tree; the rest of miu gets the records it builds.
 */
final class ConfigTree {

    // The readers below use instanceof, not switches on types, which are in serve's start-up path: the first such
    // switch in a JVM took 20 to 45 ms (SwitchBootstraps setting itself up), each further one 1 to 2 ms (busy
    // 2-core machine, no AOT cache).

    /** What a key holds. */
    enum Type {
        OBJECT,
        LIST,
        VALUE,
        MISSING
    }

    /** Shared by every node of one file's tree. */
    private record Reads(Set<String> asked, Set<String> listed, Map<String, Integer> lines) {}

    private final String source;
    private final String key;
    private final String name; // the last part of the key, which may itself hold dots (an HTTP header's name, say)
    private final Object node; // Map<String, Object>, List<Object>, String, or null when missing
    private final Reads reads;

    private ConfigTree(String source, String key, String name, Object node, Reads reads) {
        this.source = source;
        this.key = key;
        this.name = name;
        this.node = node;
        this.reads = reads;
    }

    private static ConfigTree root(String source, Map<String, Object> root, Map<String, Integer> lines) {
        return new ConfigTree(source, "", "", root, new Reads(new HashSet<>(), new HashSet<>(), lines));
    }

    /** A tree with nothing in it. */
    static ConfigTree empty(String source) {
        return root(source, Map.of(), Map.of());
    }

    /**
     * Parses YAML text; {@code source} names it in errors. Fails with a {@link ConfigurationException} when the
     * text is not YAML or its top level is not a mapping of keys.
     */
    static ConfigTree parseYaml(String text, String source) {
        YamlReader.Document document = YamlReader.read(text, source);
        return root(source, document.root(), document.lines());
    }

    /** A properties file's keys ({@code server.port=9000}) as the same tree. */
    static ConfigTree of(Properties properties, String source) {
        Map<String, Object> root = new LinkedHashMap<>();
        new TreeMap<>(properties).forEach((k, v) -> {
            String[] parts = k.toString().split("\\.", -1);
            Map<String, Object> at = root;
            for (int i = 0; i < parts.length - 1; i++) {
                if (!(at.computeIfAbsent(parts[i], p -> new LinkedHashMap<String, Object>()) instanceof Map<?, ?> m)) {
                    throw new ConfigurationException("Bad configuration in " + source + ": " + k
                            + " is under a key that has a value of its own");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> section = (Map<String, Object>) m;
                at = section;
            }
            if (at.putIfAbsent(parts[parts.length - 1], v.toString()) != null) {
                throw new ConfigurationException(
                        "Bad configuration in " + source + ": " + k + " is both a value and a section");
            }
        });
        return root(source, root, Map.of());
    }

    /**
     * The node at {@code dottedKey} below this one ({@code a.b.c}; a list's items are {@code 0}, {@code 1}, ...).
     * Asking makes the key a known one. A value or a list where the key needs a section is an error.
     */
    ConfigTree get(String dottedKey) {
        Object at = node;
        String path = key;
        for (String part : dottedKey.split("\\.", -1)) {
            String parent = path;
            path = path.isEmpty() ? part : path + "." + part;
            reads.asked().add(path);
            if (at instanceof Map<?, ?> map) {
                at = map.get(part);
            } else if (at instanceof List<?> list) {
                if (index(part) == Integer.MAX_VALUE) {
                    throw wrong(parent, "a section", "a list");
                }
                at = index(part) < list.size() ? list.get(index(part)) : null;
            } else if (at instanceof String value && !value.isBlank()) {
                throw wrong(parent, "a section", "'" + value + "'");
            } else {
                at = null; // missing, or "server:" with nothing under it
            }
        }
        return new ConfigTree(source, path, path.substring(path.lastIndexOf('.') + 1), at, reads);
    }

    private static int index(String part) {
        try {
            return part.isEmpty() || part.length() > 9 ? Integer.MAX_VALUE : Integer.parseUnsignedInt(part);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    Type type() {
        if (node instanceof Map<?, ?>) {
            return Type.OBJECT;
        }
        if (node instanceof List<?>) {
            return Type.LIST;
        }
        return node instanceof String ? Type.VALUE : Type.MISSING;
    }

    boolean exists() {
        return node != null;
    }

    /** The full dotted key ({@code ""} for the root). */
    String key() {
        return key;
    }

    /** The last part of the key: a section's or value's name, or a list item's index. */
    String name() {
        return name;
    }

    String source() {
        return source;
    }

    /**
     * The sections and values of an object in the file's order, or the items of a list in order; none for anything
     * else. Their names are the user's (server names, list indexes), so they count as known keys.
     */
    List<ConfigTree> children() {
        List<ConfigTree> children = new ArrayList<>();
        String prefix = key.isEmpty() ? "" : key + ".";
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> children.add(new ConfigTree(source, prefix + k, k.toString(), v, reads)));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                children.add(new ConfigTree(source, prefix + i, String.valueOf(i), list.get(i), reads));
            }
        }
        children.forEach(child -> reads.listed().add(child.key));
        return children;
    }

    /** The value as written; empty when the key is missing. A section or list here is an error. */
    Optional<String> asString() {
        if (node == null) {
            return Optional.empty();
        }
        if (node instanceof String value) {
            return Optional.of(value);
        }
        throw wrong(key, "a single value", node instanceof List<?> ? "a list" : "a section");
    }

    Optional<Integer> asInt() {
        return asLong().map(v -> {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw wrong(key, "a whole number", "'" + v + "'");
            }
            return v.intValue();
        });
    }

    Optional<Long> asLong() {
        return set().map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw wrong(key, "a whole number", "'" + v + "'");
            }
        });
    }

    Optional<Double> asDouble() {
        return set().map(v -> {
            try {
                double d = Double.parseDouble(v);
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw wrong(key, "a number", "'" + v + "'");
        });
    }

    /** {@code true} or {@code false} (any case; YAML's {@code yes}, {@code on} and so on arrive as these). */
    Optional<Boolean> asBoolean() {
        return set().map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw wrong(key, "true or false", "'" + v + "'");
        });
    }

    /** A list of values; a single value is a list of one, a blank one an empty list. */
    Optional<List<String>> asStringList() {
        if (node == null) {
            return Optional.empty();
        }
        if (node instanceof String value) {
            return Optional.of(value.isBlank() ? List.of() : List.of(value));
        }
        if (!(node instanceof List<?>)) {
            throw wrong(key, "a list of values", "a section");
        }
        List<String> values = new ArrayList<>();
        for (ConfigTree item : children()) {
            if (item.type() != Type.VALUE) {
                throw wrong(item.key, "a single value", item.type() == Type.LIST ? "a list" : "a section");
            }
            values.add(item.node.toString());
        }
        return Optional.of(List.copyOf(values));
    }

    /** The value unless missing or blank. */
    private Optional<String> set() {
        return asString().map(String::strip).filter(v -> !v.isEmpty());
    }

    private ConfigurationException wrong(String at, String expected, String found) {
        return new ConfigurationException(
                "Bad configuration in " + source + ": " + at + " must be " + expected + ", found " + found);
    }

    /** A key no reader asked for: its section's path ({@code ""} at the top) and its name there. */
    record Unknown(String section, String name) {
        String path() {
            return section.isEmpty() ? name : section + "." + name;
        }
    }

    /**
     * Keys of the file's sections that no reader asked for, in the file's order. A key with a dot in its name
     * ({@code server.port:} at the top) is one of them: readers ask for nested keys.
     */
    List<Unknown> unknownKeys() {
        List<Unknown> unknown = new ArrayList<>();
        collectUnknown(node, key, unknown);
        return Collections.unmodifiableList(unknown);
    }

    private void collectUnknown(Object at, String path, List<Unknown> unknown) {
        String prefix = path.isEmpty() ? "" : path + ".";
        if (at instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String child = prefix + k;
                boolean known = reads.listed().contains(child) // a name of the user's, which may hold dots
                        || reads.asked().contains(child) && !k.toString().contains(".");
                if (known) {
                    collectUnknown(v, child, unknown);
                } else {
                    unknown.add(new Unknown(path, k.toString()));
                }
            });
        } else if (at instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectUnknown(list.get(i), prefix + i, unknown);
            }
        }
    }

    /** The keys readers asked for: the ones this file may use. */
    Set<String> askedKeys() {
        return Collections.unmodifiableSet(reads.asked());
    }

    /** The 1-based line {@code dottedKey} is on in the file, when known. */
    Optional<Integer> line(String dottedKey) {
        return Optional.ofNullable(reads.lines().get(dottedKey));
    }

    @Override
    public String toString() {
        return key + " in " + source + ": " + type();
    }
}
