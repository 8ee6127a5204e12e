package dev.miu.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A fast reader for the YAML that configuration files are written in: nested {@code key: value} mappings,
 * {@code - item} sequences, one-line plain and quoted scalars, and comments. For such a file it gives exactly the
 * tree Helidon's YAML parser gives (SnakeYAML with YAML 1.1 types, every value as text, a missing one as
 * {@code ""}); anything else it declines, and that parser reads the file and reports its errors. Declined: flow
 * collections other than an empty {@code []} or <code>{}</code>, anchors and aliases, tags, block and multi-line
 * scalars, escapes in double quotes, dotted or quoted keys, numbers other than plain decimals, dates, tabs, carriage
 * returns, directives and document markers.
 * <p>
 * Why: SnakeYAML spent 18 to 24 ms of the server's start-up on app.yaml, most of it setting itself up in the
 * interpreter. {@code BlockYamlTest} checks this reader against that parser.
 */
final class BlockYaml {

    /** YAML 1.1 booleans as SnakeYAML reads them (a plain {@code yes} is {@code true}). */
    private static final Set<String> TRUE = Set.of("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON");
    private static final Set<String> FALSE = Set.of("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF");
    private static final Set<String> NULL = Set.of("~", "null", "Null", "NULL");
    /**
     * Every character SnakeYAML's patterns for integers, floats and dates can match: a scalar that starts like a
     * number but holds another character ({@code 10s}, {@code 8080/tcp}) is text.
     */
    private static final String NUMERIC_CHARS = "0123456789_.+-: abcdefABCDEFxXoOiInNTtZ";

    /** A line with content: its indentation (spaces) and the rest, full-line comments and blank lines left out. */
    private record Line(int indent, String text) {
    }

    /** The document uses something this reader leaves to the full parser. Carries no stack trace. */
    private static final class Declined extends RuntimeException {
        Declined() {
            super(null, null, false, false);
        }
    }

    private final List<Line> lines;
    private int at;

    private BlockYaml(List<Line> lines) {
        this.lines = lines;
    }

    /**
     * The document's tree (unmodifiable maps, lists and strings), or empty if the text uses anything this reader
     * does not handle.
     */
    static Optional<Map<String, Object>> parse(String text) {
        List<Line> lines = lines(text);
        if (lines == null) {
            return Optional.empty();
        }
        if (lines.isEmpty()) {
            return Optional.of(Map.of()); // only comments: the full parser gives an empty tree too
        }
        try {
            var reader = new BlockYaml(lines);
            if (lines.getFirst().indent() != 0 || isItem(lines.getFirst())) {
                return Optional.empty();
            }
            Map<String, Object> root = reader.mapping(0);
            return reader.at == lines.size() ? Optional.of(root) : Optional.empty();
        } catch (Declined e) {
            return Optional.empty();
        }
    }

    /** The lines with content, or null for text this reader declines as a whole. */
    private static List<Line> lines(String text) {
        if (text.startsWith("\uFEFF") || !plainText(text)) {
            return null;
        }
        List<Line> lines = new ArrayList<>();
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            String line = text.substring(start, end);
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == ' ') {
                indent++;
            }
            String rest = trimSpaces(line.substring(indent));
            if (!rest.isEmpty() && rest.charAt(0) != '#') {
                if (indent == 0 && (rest.startsWith("---") || rest.startsWith("...") || rest.charAt(0) == '%')) {
                    return null;
                }
                lines.add(new Line(indent, rest));
            }
            start = end + 1;
        }
        return lines;
    }

    /**
     * Only line feeds and characters YAML prints: no tabs or carriage returns (kept to the full parser), no other
     * line breaks of YAML 1.1 (U+0085, U+2028, U+2029), no control characters (the full parser refuses them).
     */
    private static boolean plainText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean printable = c == '\n' || c >= 0x20 && c <= 0x7E
                    || c >= 0xA0 && c <= 0xFFFD && c != 0x2028 && c != 0x2029;
            if (!printable) {
                return false;
            }
        }
        return true;
    }

    /** Without leading and trailing spaces: YAML separates with spaces (and tabs), not other white space. */
    private static String trimSpaces(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == ' ') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == ' ') {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean isItem(Line line) {
        return line.text().equals("-") || line.text().startsWith("- ");
    }

    /** A mapping whose keys sit at {@code indent}. */
    private Map<String, Object> mapping(int indent) {
        Map<String, Object> map = new LinkedHashMap<>();
        while (at < lines.size() && lines.get(at).indent() == indent && !isItem(lines.get(at))) {
            String text = lines.get(at).text();
            int colon = keyLength(text);
            if (colon < 0) {
                throw new Declined();
            }
            String key = text.substring(0, colon);
            if (map.containsKey(key)) {
                throw new Declined(); // SnakeYAML keeps the last; let it
            }
            String rest = trimSpaces(text.substring(colon + 1));
            at++;
            Object value;
            if (rest.isEmpty() || rest.charAt(0) == '#') {
                value = nested(indent, true);
            } else {
                value = scalar(rest);
                noDeeperLine(indent);
            }
            map.put(key, value);
        }
        noDeeperLine(indent);
        return Collections.unmodifiableMap(map);
    }

    /** A sequence whose dashes sit at {@code indent}. */
    private List<Object> sequence(int indent) {
        List<Object> list = new ArrayList<>();
        while (at < lines.size() && lines.get(at).indent() == indent && isItem(lines.get(at))) {
            String text = lines.get(at).text();
            String rest = trimSpaces(text.substring(1));
            if (rest.isEmpty() || rest.charAt(0) == '#') {
                at++;
                list.add(nested(indent, false));
            } else if (rest.equals("-") || rest.startsWith("- ")) {
                throw new Declined(); // a sequence in a sequence on one line
            } else if (keyLength(rest) > 0) {
                // "- key: value" opens a mapping whose keys line up with this first one
                int keyIndent = indent + (text.length() - rest.length());
                lines.set(at, new Line(keyIndent, rest));
                list.add(mapping(keyIndent));
            } else {
                at++;
                list.add(scalar(rest));
                noDeeperLine(indent);
            }
        }
        noDeeperLine(indent);
        return Collections.unmodifiableList(list);
    }

    /**
     * What follows a key or dash with nothing after it: a deeper block, or under a key a sequence at the key's own
     * indentation, or nothing (a missing value, {@code ""}).
     */
    private Object nested(int indent, boolean underKey) {
        if (at < lines.size()) {
            Line next = lines.get(at);
            if (next.indent() > indent) {
                return isItem(next) ? sequence(next.indent()) : mapping(next.indent());
            }
            if (underKey && next.indent() == indent && isItem(next)) {
                return sequence(indent);
            }
        }
        return "";
    }

    /** A deeper line after a value on one line is a multi-line scalar or an error: the full parser decides. */
    private void noDeeperLine(int indent) {
        if (at < lines.size() && lines.get(at).indent() > indent) {
            throw new Declined();
        }
    }

    /**
     * The length of the {@code key} in a line starting {@code key:}, or -1 when it does not start with a key this
     * reader takes: a plain word, and not one YAML reads as something else ({@code yes}, {@code null}).
     */
    private static int keyLength(String text) {
        int i = 0;
        while (i < text.length() && isKeyChar(text.charAt(i), i == 0)) {
            i++;
        }
        if (i == 0 || i >= text.length() || text.charAt(i) != ':'
                || (i + 1 < text.length() && text.charAt(i + 1) != ' ')) {
            return -1;
        }
        String key = text.substring(0, i);
        return TRUE.contains(key) || FALSE.contains(key) || NULL.contains(key) ? -1 : i;
    }

    private static boolean isKeyChar(char c, boolean first) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
                || !first && (c >= '0' && c <= '9' || c == '-');
    }

    /**
     * A scalar on one line, with any trailing comment, as the full parser's text for it; an empty {@code []} or
     * <code>{}</code> is an empty list or section.
     */
    private static Object scalar(String text) {
        char first = text.charAt(0);
        if (first == '"' || first == '\'') {
            return quoted(text, first);
        }
        int comment = text.indexOf(" #");
        String value = trimSpaces(comment < 0 ? text : text.substring(0, comment));
        if (value.equals("[]")) {
            return List.of();
        }
        if (value.equals("{}")) {
            return Map.of();
        }
        if ("[]{}#&*!|>%@`,?:".indexOf(first) >= 0 || value.equals("-")) {
            throw new Declined(); // indicators; "- x" never gets here (a sequence entry is not a value)
        }
        if (value.contains(": ") || value.endsWith(":")) {
            throw new Declined(); // a mapping where a value belongs: an error the full parser reports
        }
        return typed(value);
    }

    /** The text SnakeYAML's YAML 1.1 types give a plain scalar: {@code yes} is {@code true}, {@code +7} is 7. */
    private static String typed(String value) {
        if (NULL.contains(value)) {
            return "";
        }
        if (TRUE.contains(value)) {
            return "true";
        }
        if (FALSE.contains(value)) {
            return "false";
        }
        char first = value.charAt(0);
        if (isDigit(first) || first == '+' || first == '-' || first == '.') {
            if (isDecimal(value)) {
                return new BigInteger(value).toString();
            }
            if (isSimpleFraction(value)) {
                return Double.valueOf(value).toString();
            }
            if (isDottedNumber(value) || !onlyNumericChars(value)) {
                return value; // 127.0.0.1 or 1.2.3 (no number or date has two dots), 10s, 8080/tcp
            }
            throw new Declined(); // octal, hex, underscores, exponents, sexagesimal, dates, .inf: the full parser
        }
        if (value.equals("<<") || value.equals("=")) {
            throw new Declined();
        }
        return value;
    }

    /** [-+]?(0|[1-9][0-9]*) */
    private static boolean isDecimal(String s) {
        int i = s.charAt(0) == '+' || s.charAt(0) == '-' ? 1 : 0;
        if (i == s.length() || s.charAt(i) == '0' && s.length() > i + 1) {
            return false;
        }
        for (; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** [-+]?[0-9]+\.[0-9]+ */
    private static boolean isSimpleFraction(String s) {
        int i = s.charAt(0) == '+' || s.charAt(0) == '-' ? 1 : 0;
        int dot = s.indexOf('.');
        if (dot <= i || dot == s.length() - 1) {
            return false;
        }
        for (; i < s.length(); i++) {
            if (i != dot && !isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** [0-9]+(\.[0-9]+){2,} */
    private static boolean isDottedNumber(String s) {
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (i == 0 || i == s.length() - 1 || s.charAt(i - 1) == '.') {
                    return false;
                }
                dots++;
            } else if (!isDigit(c)) {
                return false;
            }
        }
        return dots >= 2;
    }

    private static boolean onlyNumericChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (NUMERIC_CHARS.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A quoted scalar that ends on its line, followed by nothing or a comment. */
    private static String quoted(String text, char quote) {
        StringBuilder value = new StringBuilder();
        int i = 1;
        while (true) {
            if (i >= text.length()) {
                throw new Declined(); // goes on to the next line
            }
            char c = text.charAt(i);
            if (c == quote) {
                if (quote == '\'' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    value.append('\''); // '' is one quote
                    i += 2;
                    continue;
                }
                break;
            }
            if (c == '\\' && quote == '"') {
                throw new Declined(); // escapes: the full parser
            }
            value.append(c);
            i++;
        }
        String after = text.substring(i + 1); // the line has no trailing spaces: nothing, or a comment
        if (!after.isEmpty() && !(after.charAt(0) == ' ' && trimSpaces(after).startsWith("#"))) {
            throw new Declined();
        }
        return value.toString();
    }
}
