package dev.miu.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArithmeticTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '=',
            value = {
                "1 + 2 * 3 = 7",
                "(1 + 2) * 3 = 9",
                "0.1 + 0.2 = 0.3",
                "(17.5 * 4) - 3 ^ 2 = 61",
                "-2 ^ 2 = -4",
                "2 ^ 3 ^ 2 = 512",
                "2 ^ -2 = 0.25",
                "10 / 4 = 2.5",
                "10 % 4 = 2",
                "--3 = 3",
                " 7 = 7",
                "1 / 3 = 0.3333333333333333",
                "100 * 100 = 10000"
            })
    void evaluates(String expression, String expected) {
        assertEquals(expected, Arithmetic.format(Arithmetic.evaluate(expression)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "1 +",
                "(1 + 2",
                "1 + 2)",
                "2 ^ 0.5",
                "1 / 0",
                "5 % 0",
                "1.2.3",
                "abc",
                "java.lang.System.exit(1)",
                "2 ^ 100000"
            })
    void refusesWhatIsNotSimpleArithmetic(String expression) {
        assertThrows(IllegalArgumentException.class, () -> Arithmetic.evaluate(expression));
    }

    @Test
    void errorsSayWhere() {
        var e = assertThrows(IllegalArgumentException.class, () -> Arithmetic.evaluate("1 + x"));
        assertEquals("Expected a number, found 'x' at position 5", e.getMessage());
        var deep = assertThrows(
                IllegalArgumentException.class, () -> Arithmetic.evaluate("(".repeat(100) + "1" + ")".repeat(100)));
        assertTrue(deep.getMessage().contains("nested too deeply"), deep.getMessage());
    }
}
