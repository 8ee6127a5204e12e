package dev.miu.config;

import dev.miu.core.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@link BlockYaml} against Helidon's YAML parser: the same tree for what it reads, and nothing it should decline. */
class BlockYamlTest {

    @Test
    void theShippedAppYamlIsReadByTheFastReaderAsTheFullParserReadsIt() throws Exception {
        String text = Files.readString(Path.of("app.yaml"));
        Map<String, Object> fast = BlockYaml.parse(text).orElseThrow(() -> new AssertionError("app.yaml was declined"));
        assertEquals(ConfigTree.parseFully(text, "app.yaml"), fast);
        assertEquals("interval", ConfigTree.parseYaml(text, "app.yaml").get("sessions.sync").asString().orElseThrow());
    }

    @Test
    void blockStyleDocumentsGiveTheFullParsersTree() {
        List<String> documents = List.of(
                "",
                "# only a comment\n\n   # and another\n",
                "a: 1\nb: two\n",
                "server:\n  port: 8080\n  host: 0.0.0.0\n  cors-origins:\n    - http://localhost:3000\n    - '*'\n",
                "list:\n- a\n- b\nafter: x\n",
                "mcp:\n  servers:\n    - name: fs\n      command: npx\n      args:\n        - -y\n        - server-filesystem\n"
                        + "    - name: other\n      url: http://127.0.0.1:9/mcp\n",
                "flags: yes\noff-switch: Off\nnothing: ~\nnull-word: NULL\nempty:\n",
                "numbers:\n  plus: +7\n  minus: -12\n  zero: -0\n  big: 123456789012345678901234567890\n"
                        + "  frac: 0.70\n  negative-frac: -3.25\n  plus-frac: +1.5\n",
                "text:\n  hash-inside: a#b\n  url: http://example.com:8080/x?y=1#frag\n  comment: value # not this\n"
                        + "  quoted-hash: 'a # b'\n  double: \"x: y\"\n  single: 'it''s'\n  spaces: '  padded  '\n"
                        + "  quoted-yes: 'yes'\n  comma: a, b\n  brackets: a[0]\n  trailing: \"q\"   # note\n",
                "nested:\n  deeper:\n    deepest: 1\n  sibling: 2\ntop: 3\n",
                "seq-of-empties:\n  -\n  - # nothing\n  - x\n",
                "seq-of-seqs:\n  -\n    - a\n    - b\n  -\n    - c\n",
                "key-with-digits9: v\n_under: w\nnegative: -5\n",
                "agent:\n  system-prompt: You are miu, a helpful assistant.\n  temperature: 0.2\n  model: anthropic:claude-sonnet\n",
                "unicode:\n  name: caf\u00e9 \u2014 \u4e2d\u6587 \ud83d\ude00\n  em-space-inside: a\u2003b\n  nbsp-after: x\u00a0\n");
        for (String doc : documents) {
            Map<String, Object> full = ConfigTree.parseFully(doc, "test");
            Optional<Map<String, Object>> fast = BlockYaml.parse(doc);
            assertTrue(fast.isPresent(), "declined:\n" + doc);
            assertEquals(full, fast.get(), doc);
        }
    }

    @Test
    void whatItDoesNotReadItLeavesToTheFullParser() {
        List<String> documents = List.of(
                "a: [1, 2]\n", "a: {b: 1}\n", "a: &x 1\nb: *x\n", "a: !!str 5\n", "a: |\n  text\n", "a: >\n  text\n",
                "a: \"tab\\there\"\n", "a: 'two\n  lines'\n", "a: plain\n  continued\n", "a.b: 1\n", "'quoted': 1\n",
                "\"k\": 1\n", "a: 0x1F\n", "a: 012\n", "a: 1_000\n", "a: 1e3\n", "a: 1:30\n", "a: .inf\n", "a: 2024-01-02\n",
                "a: 1\na: 2\n", "---\na: 1\n", "a: 1\n...\n", "%YAML 1.1\n---\na: 1\n", "a:\tb\n", "a: 1\r\nb: 2\r\n",
                "\uFEFFa: 1\n", "yes: 1\n", "null: 1\n", "- a\n- b\n", "just a string\n", "  indented: 1\n",
                "a: 1\n  b: 2\n", "a:\n    b: 1\n  c: 2\n", "a: b: c\n", "a: b:\n", "a: - b\n", "a: <<\n", "? a\n: b\n",
                "list:\n  - - a\n", "a: \"x\" y\n", "a: 'x'y\n", "k: -x\n", "k: @x\n", "k: `x\n", "k: %x\n",
                "a: b\u2028c\n", "a: b\u0085\n", "a: \u0007\n", "a: x\u007f\n");
        for (String doc : documents) {
            assertTrue(BlockYaml.parse(doc).isEmpty(), "should be left to the full parser:\n" + doc);
        }
        // and the full parser still reads the valid ones and reports the rest, as before
        assertEquals("31", ConfigTree.parseYaml("a: 0x1F\n", "t").get("a").asString().orElseThrow());
        assertEquals("1000.0", ConfigTree.parseYaml("a: 1e3\n", "t").get("a").asString().orElseThrow());
        var e = assertThrows(ConfigurationException.class, () -> ConfigTree.parseYaml("- a\n- b\n", "t.yaml"));
        assertTrue(e.getMessage().contains("top level must be keys and values"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ConfigTree.parseYaml("a: b: c\n", "t.yaml"));
        assertTrue(e.getMessage().startsWith("Bad configuration in t.yaml: "), e.getMessage());
    }

    /**
     * Random documents from block-style pieces and awkward scalars: whenever the fast reader accepts one, the full
     * parser must give the same tree; whenever the full parser refuses one, the fast reader must have declined it.
     */
    @Test
    void randomDocumentsAgreeWithTheFullParser() {
        Random random = new Random(20261124);
        int accepted = 0;
        int documents = 1500;
        for (int i = 0; i < documents; i++) {
            StringBuilder doc = new StringBuilder();
            mapping(random, doc, 0, 0);
            String text = doc.toString();
            Optional<Map<String, Object>> fast = BlockYaml.parse(text);
            Map<String, Object> full;
            try {
                full = ConfigTree.parseFully(text, "random");
            } catch (ConfigurationException e) {
                if (fast.isPresent()) {
                    fail("accepted what the full parser refuses (" + e.getMessage() + "):\n" + text);
                }
                continue;
            }
            if (fast.isPresent()) {
                accepted++;
                assertEquals(full, fast.get(), text);
            }
        }
        assertTrue(accepted > documents / 3, "the fast reader read " + accepted + " of " + documents);
    }

    private static final List<String> KEYS = List.of("a", "b", "port", "max-tokens", "x_1", "n9", "Server", "_u");
    /** Keys YAML reads as something else, or that are not plain words: the full parser's. */
    private static final List<String> ODD_KEYS = List.of("on", "yes", "Null", "k.v", "1", "'q'", "a b", "-k");
    /** What config files hold: most documents made of these alone are read by the fast reader. */
    private static final List<String> COMMON = List.of(
            "plain", "two words", "0", "7", "+7", "-7", "0.5", "-0.25", "127.0.0.1", "1.2.3", "10s", "8080/tcp", "-y",
            "--flag", "yes", "Off", "~", "'q'", "\"dq\"", "a#b", "value # c", "http://h:1/p", "[]", "{}", "[] # none");
    /** Everything else, most of it for the full parser. */
    private static final List<String> SCALARS = List.of(
            "plain", "two words", "yes", "No", "ON", "true", "FALSE", "~", "null", "Null", "0", "7", "+7", "-7", "-0",
            "007", "0x1f", "1_000", "1e3", "0.5", "-0.25", "+2.50", ".5", "1.", ".inf", "-.inf", ".NaN", "1:30",
            "2024-11-24", "2024-11-24T10:00:00Z", "a#b", "a #b", "http://h:1/p", "a: b", "a:", ":a", "-x", "- x", "'q'",
            "'it''s'", "\"dq\"", "\"a: b\"", "'# not a comment'", "\"\"", "''", "a, b", "[x]", "{x}", "[ ]", "{ }", "-e", "-", "-.5", "+.inf", "&a", "*a", "!t",
            "|", ">", "@x", "%x", "`x", "<<", "=", "?", "? x", "caf\u00e9", "\"x\" y", "'x' # c", "value # c", "12.0.1");

    private static void mapping(Random random, StringBuilder doc, int indent, int depth) {
        int keys = 1 + random.nextInt(4);
        List<String> used = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            String key = random.nextInt(15) == 0 ? ODD_KEYS.get(random.nextInt(ODD_KEYS.size()))
                    : KEYS.get(random.nextInt(KEYS.size()));
            if (used.contains(key) && random.nextInt(10) != 0) {
                continue; // a duplicate now and then
            }
            used.add(key);
            if (random.nextInt(6) == 0) {
                doc.append(" ".repeat(indent)).append("# a comment\n");
            }
            doc.append(" ".repeat(indent)).append(key).append(':');
            int kind = depth >= 3 ? 0 : random.nextInt(5);
            switch (kind) {
                case 0, 1 -> doc.append(random.nextInt(8) == 0 ? "" : " " + scalar(random)).append('\n');
                case 2 -> {
                    doc.append('\n');
                    mapping(random, doc, indent + 2, depth + 1);
                }
                default -> {
                    doc.append('\n');
                    sequence(random, doc, random.nextBoolean() ? indent : indent + 2, depth + 1);
                }
            }
        }
    }

    private static void sequence(Random random, StringBuilder doc, int indent, int depth) {
        int items = 1 + random.nextInt(3);
        for (int i = 0; i < items; i++) {
            doc.append(" ".repeat(indent)).append('-');
            switch (depth >= 3 ? 0 : random.nextInt(4)) {
                case 0, 1 -> doc.append(random.nextInt(8) == 0 ? "" : " " + scalar(random)).append('\n');
                case 2 -> {
                    doc.append(' ');
                    StringBuilder inner = new StringBuilder();
                    mapping(random, inner, indent + 2, depth + 1);
                    doc.append(inner.substring(indent + 2)); // the first key on the dash's line
                }
                default -> {
                    doc.append('\n');
                    sequence(random, doc, indent + 2, depth + 1);
                }
            }
        }
    }

    private static String scalar(Random random) {
        List<String> pool = random.nextInt(20) == 0 ? SCALARS : COMMON;
        return pool.get(random.nextInt(pool.size()));
    }
}
