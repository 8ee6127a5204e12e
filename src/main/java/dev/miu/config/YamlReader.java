package dev.miu.config;

import dev.miu.core.ConfigurationException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML document with SnakeYAML into the plain tree {@link ConfigTree} reads: maps with string keys in the
 * file's order, lists, and every value as text, typed as YAML 1.1 does ({@code yes} is {@code true}, {@code 0x1F}
 * is {@code 31}, {@code ~} or nothing is blank; dates stay as written). It also notes the line each key is on, so
 * an unknown key can be pointed at. A duplicate key is an error: the later one would silently replace the earlier,
 * a whole section at a time.
 */
final class YamlReader {

    /** Aliases can make a node its own descendant; no configuration is this deep. */
    private static final int MAX_DEPTH = 100;

    /** The document's tree and the 1-based line of each key, by dotted path ({@code server.port}). */
    record Document(Map<String, Object> root, Map<String, Integer> lines) {}

    private final Values values;
    private final Map<String, Integer> lines = new HashMap<>();

    private YamlReader(Values values) {
        this.values = values;
    }

    /**
     * Parses {@code text}; {@code source} names it in errors. Malformed YAML, or a top level that is not a mapping
     * of keys, is a {@link ConfigurationException} naming the source and, where SnakeYAML knows it, the line.
     */
    static Document read(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        var values = new Values(options);
        Node document;
        Object root;
        var reader = new YamlReader(values);
        try {
            // SnakeYAML's parts rather than its Yaml facade, which also sets up dumping (a third of the cold cost)
            document = new Composer(new ParserImpl(new StreamReader(text), options), new Resolver(), options)
                    .getSingleNode();
            root = document == null ? Map.of() : reader.plain(document, "", 0);
        } catch (MarkedYAMLException e) {
            throw new ConfigurationException(
                    "Bad configuration in " + source + at(e.getProblemMark()) + ": " + e.getProblem()
                            + (e.getContext() == null ? "" : " (" + e.getContext() + at(e.getContextMark()) + ")"));
        } catch (YAMLException e) {
            throw new ConfigurationException("Bad configuration in " + source + ": " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?>)) {
            throw new ConfigurationException("Bad configuration in " + source
                    + ": the top level must be keys and values (such as \"server:\"), not a list or a single value");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) root;
        return new Document(map, Collections.unmodifiableMap(reader.lines));
    }

    private static String at(Mark mark) {
        return mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    /** The node as maps, lists and text; keys' lines are noted under their paths. */
    private Object plain(Node node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new YAMLException(path + " is nested more than " + MAX_DEPTH + " levels deep");
        }
        return switch (node.getNodeId()) {
            case mapping -> {
                var mapping = (MappingNode) node;
                values.flatten(mapping); // merge keys (<<), and the duplicate-key check
                Map<String, Object> map = new LinkedHashMap<>();
                for (NodeTuple entry : mapping.getValue()) {
                    String key = String.valueOf(plain(entry.getKeyNode(), path, depth + 1));
                    String child = path.isEmpty() ? key : path + "." + key;
                    lines.putIfAbsent(child, entry.getKeyNode().getStartMark().getLine() + 1);
                    map.put(key, plain(entry.getValueNode(), child, depth + 1));
                }
                yield Collections.unmodifiableMap(map);
            }
            case sequence -> {
                List<Object> list = new ArrayList<>();
                for (Node item : ((SequenceNode) node).getValue()) {
                    list.add(plain(item, path + "." + list.size(), depth + 1));
                }
                yield Collections.unmodifiableList(list);
            }
            case scalar -> {
                Object value = values.scalar((ScalarNode) node);
                yield value == null ? "" : value.toString();
            }
            case anchor -> throw new YAMLException("unexpected YAML node " + node.getNodeId());
        };
    }

    /** SnakeYAML's safe YAML 1.1 types for scalars, with dates kept as text. */
    private static final class Values extends SafeConstructor {
        Values(LoaderOptions options) {
            super(options);
            setAllowDuplicateKeys(options.isAllowDuplicateKeys()); // the Yaml facade would pass this on
            yamlConstructors.put(Tag.TIMESTAMP, yamlConstructors.get(Tag.STR));
        }

        Object scalar(ScalarNode node) {
            return constructObject(node);
        }

        void flatten(MappingNode node) {
            flattenMapping(node);
        }
    }
}
