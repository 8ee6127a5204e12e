package dev.miu.examples;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Evaluates arithmetic safely: numbers, {@code + - * / %}, {@code ^} (integer powers), unary signs and parentheses,
 * parsed by a small recursive-descent parser over {@link BigDecimal} (so 0.1 + 0.2 is 0.3). No script engine and
 * nothing else is evaluated; bad input is an {@link IllegalArgumentException} that says what and where.
 */
public final class Arithmetic {

    static final int MAX_LENGTH = 500;
    static final int MAX_DEPTH = 64;
    static final int MAX_EXPONENT = 1000;
    private static final MathContext MATH = MathContext.DECIMAL64;

    private final String text;
    private int pos;
    private int depth;

    private Arithmetic(String text) {
        this.text = text;
    }

    /** The value of {@code expression}, e.g. {@code "(17.5 * 4) - 3 ^ 2"} gives 61. */
    public static BigDecimal evaluate(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("The expression is empty");
        }
        if (expression.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("The expression is longer than " + MAX_LENGTH + " characters");
        }
        var parser = new Arithmetic(expression);
        BigDecimal value = parser.expression();
        parser.skipSpaces();
        if (parser.pos < expression.length()) {
            throw parser.error("Unexpected '" + expression.charAt(parser.pos) + "'");
        }
        return value;
    }

    /** The value as plain text without trailing zeros: 61, 0.3, -2.5. */
    public static String format(BigDecimal value) {
        BigDecimal v = value.stripTrailingZeros();
        return (v.scale() < 0 ? v.setScale(0, RoundingMode.UNNECESSARY) : v).toPlainString();
    }

    // expression := term (('+' | '-') term)*
    private BigDecimal expression() {
        enter();
        BigDecimal value = term();
        while (true) {
            if (accept('+')) {
                value = value.add(term(), MATH);
            } else if (accept('-')) {
                value = value.subtract(term(), MATH);
            } else {
                depth--;
                return value;
            }
        }
    }

    // term := unary (('*' | '/' | '%') unary)*
    private BigDecimal term() {
        BigDecimal value = unary();
        while (true) {
            if (accept('*')) {
                value = value.multiply(unary(), MATH);
            } else if (accept('/')) {
                value = value.divide(nonZero(unary()), MATH);
            } else if (accept('%')) {
                value = value.remainder(nonZero(unary()), MATH);
            } else {
                return value;
            }
        }
    }

    // unary := ('-' | '+') unary | power      (so -2^2 is -4)
    private BigDecimal unary() {
        if (accept('-')) {
            enter();
            BigDecimal v = unary().negate();
            depth--;
            return v;
        }
        if (accept('+')) {
            enter();
            BigDecimal v = unary();
            depth--;
            return v;
        }
        return power();
    }

    // power := primary ('^' unary)?          (right-associative: 2^3^2 is 2^9)
    private BigDecimal power() {
        BigDecimal base = primary();
        if (!accept('^')) {
            return base;
        }
        int at = pos;
        BigDecimal exponent = unary();
        int n;
        try {
            n = exponent.intValueExact();
        } catch (ArithmeticException e) {
            throw errorAt(at, "Only whole-number powers are supported");
        }
        if (Math.abs(n) > MAX_EXPONENT) {
            throw errorAt(at, "Powers above " + MAX_EXPONENT + " are not supported");
        }
        if (n < 0) {
            return BigDecimal.ONE.divide(nonZero(base).pow(-n, MATH), MATH);
        }
        return base.pow(n, MATH);
    }

    // primary := number | '(' expression ')'
    private BigDecimal primary() {
        skipSpaces();
        if (accept('(')) {
            BigDecimal value = expression();
            if (!accept(')')) {
                throw error("Missing ')'");
            }
            return value;
        }
        int start = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        if (start == pos) {
            throw error(
                    pos < text.length()
                            ? "Expected a number, found '" + text.charAt(pos) + "'"
                            : "Expected a number at the end");
        }
        try {
            return new BigDecimal(text.substring(start, pos));
        } catch (NumberFormatException e) {
            throw errorAt(start, "Invalid number '" + text.substring(start, pos) + "'");
        }
    }

    private BigDecimal nonZero(BigDecimal v) {
        if (v.signum() == 0) {
            throw new IllegalArgumentException("Division by zero");
        }
        return v;
    }

    private boolean accept(char c) {
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("The expression is nested too deeply");
        }
    }

    private IllegalArgumentException error(String message) {
        return errorAt(pos, message);
    }

    private static IllegalArgumentException errorAt(int at, String message) {
        return new IllegalArgumentException(message + " at position " + (at + 1));
    }
}
