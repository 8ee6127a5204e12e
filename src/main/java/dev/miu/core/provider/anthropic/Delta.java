package dev.miu.core.provider.anthropic;

import java.util.HexFormat;

/**
 * A {@code content_block_delta} event's fields. The stream has one such event per token, so they are read by a small
 * scanner of their own: a tree of values per event, and then even a JSON-P streaming parser (with its reader,
 * tokenizer and buffer per event), were the largest part of reading a stream. Fields in any order; unknown ones, and
 * their nested values, are checked and skipped; anything that is not one well-formed JSON object is refused.
 *
 * @param index       the content block the delta belongs to
 * @param type        {@code text_delta}, {@code input_json_delta}, or another kind miu ignores ("" if none)
 * @param text        the text of a {@code text_delta} ("" if none)
 * @param partialJson the JSON fragment of an {@code input_json_delta} ("" if none)
 */
record Delta(int index, String type, String text, String partialJson) {

    /** Deeper nesting than this in a skipped value is refused rather than recursed into. */
    private static final int MAX_DEPTH = 256;

    /** @throws IllegalArgumentException when {@code data} is not a JSON object */
    static Delta parse(String data) {
        var in = new Scanner(data);
        int index = 0;
        String type = "";
        String text = "";
        String partialJson = "";
        in.expect('{');
        if (!in.consume('}')) {
            do {
                String key = in.string();
                in.expect(':');
                char next = in.peek();
                if (key.equals("index") && (next == '-' || (next >= '0' && next <= '9'))) {
                    index = in.integer();
                } else if (key.equals("delta") && next == '{') {
                    in.expect('{');
                    if (!in.consume('}')) {
                        do {
                            String field = in.string();
                            in.expect(':');
                            if (in.peek() == '"') {
                                String value = in.string();
                                switch (field) {
                                    case "type" -> type = value;
                                    case "text" -> text = value;
                                    case "partial_json" -> partialJson = value;
                                    default -> {
                                    }
                                }
                            } else {
                                in.skipValue(1);
                            }
                        } while (in.consume(','));
                        in.expect('}');
                    }
                } else {
                    in.skipValue(0);
                }
            } while (in.consume(','));
            in.expect('}');
        }
        in.end();
        return new Delta(index, type, text, partialJson);
    }

    /** A cursor over JSON text, skipping whitespace before each token. */
    private static final class Scanner {
        private final String s;
        private int at;

        Scanner(String s) {
            this.s = s;
        }

        char peek() {
            skipSpace();
            if (at >= s.length()) {
                throw malformed("unexpected end");
            }
            return s.charAt(at);
        }

        void expect(char c) {
            if (peek() != c) {
                throw malformed("expected '" + c + "'");
            }
            at++;
        }

        boolean consume(char c) {
            if (peek() == c) {
                at++;
                return true;
            }
            return false;
        }

        void end() {
            skipSpace();
            if (at != s.length()) {
                throw malformed("unexpected text after the object");
            }
        }

        String string() {
            expect('"');
            int from = at;
            StringBuilder escaped = null;
            while (true) {
                if (at >= s.length()) {
                    throw malformed("unterminated string");
                }
                char c = s.charAt(at);
                if (c == '"') {
                    String tail = s.substring(from, at++);
                    return escaped == null ? tail : escaped.append(tail).toString();
                }
                if (c < 0x20) {
                    throw malformed("control character in a string");
                }
                if (c != '\\') {
                    at++;
                    continue;
                }
                if (escaped == null) {
                    escaped = new StringBuilder();
                }
                escaped.append(s, from, at);
                if (at + 1 >= s.length()) {
                    throw malformed("unterminated string");
                }
                char e = s.charAt(at + 1);
                at += 2;
                switch (e) {
                    case '"', '\\', '/' -> escaped.append(e);
                    case 'b' -> escaped.append('\b');
                    case 'f' -> escaped.append('\f');
                    case 'n' -> escaped.append('\n');
                    case 'r' -> escaped.append('\r');
                    case 't' -> escaped.append('\t');
                    case 'u' -> {
                        if (at + 4 > s.length()) {
                            throw malformed("short unicode escape");
                        }
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            char h = s.charAt(at + i);
                            if (!HexFormat.isHexDigit(h)) { // ASCII only, as JSON wants (Character.digit is not)
                                throw malformed("bad unicode escape");
                            }
                            code = code * 16 + HexFormat.fromHexDigit(h);
                        }
                        at += 4;
                        escaped.append((char) code);
                    }
                    default -> throw malformed("bad escape \\" + e);
                }
                from = at;
            }
        }

        int integer() {
            String number = number();
            try {
                return new java.math.BigDecimal(number).intValue(); // as a JSON-P parser's getInt() reads it
            } catch (NumberFormatException e) {
                throw malformed("bad number " + number);
            }
        }

        /** A number's text, checked against JSON's grammar. */
        String number() {
            skipSpace();
            int from = at;
            if (at < s.length() && s.charAt(at) == '-') {
                at++;
            }
            if (digits() == 0) {
                throw malformed("bad number");
            }
            if (at < s.length() && s.charAt(at) == '.') {
                at++;
                if (digits() == 0) {
                    throw malformed("bad number");
                }
            }
            if (at < s.length() && (s.charAt(at) == 'e' || s.charAt(at) == 'E')) {
                at++;
                if (at < s.length() && (s.charAt(at) == '+' || s.charAt(at) == '-')) {
                    at++;
                }
                if (digits() == 0) {
                    throw malformed("bad number");
                }
            }
            return s.substring(from, at);
        }

        /** Checks and passes over one value of any kind. */
        void skipValue(int depth) {
            if (depth > MAX_DEPTH) {
                throw malformed("nested too deeply");
            }
            char c = peek();
            switch (c) {
                case '"' -> string();
                case '{' -> {
                    at++;
                    if (!consume('}')) {
                        do {
                            string();
                            expect(':');
                            skipValue(depth + 1);
                        } while (consume(','));
                        expect('}');
                    }
                }
                case '[' -> {
                    at++;
                    if (!consume(']')) {
                        do {
                            skipValue(depth + 1);
                        } while (consume(','));
                        expect(']');
                    }
                }
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'n' -> literal("null");
                default -> number();
            }
        }

        private void literal(String word) {
            if (!s.startsWith(word, at)) {
                throw malformed("unexpected token");
            }
            at += word.length();
        }

        private int digits() {
            int from = at;
            while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
                at++;
            }
            return at - from;
        }

        private void skipSpace() {
            while (at < s.length()) {
                char c = s.charAt(at);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                at++;
            }
        }

        private IllegalArgumentException malformed(String why) {
            return new IllegalArgumentException("Malformed JSON in content_block_delta at " + at + ": " + why);
        }
    }
}
