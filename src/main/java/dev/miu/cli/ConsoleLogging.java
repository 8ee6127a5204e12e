package dev.miu.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;

/**
 * miu's logging configuration when the user gives none: JUL's console handler at INFO with
 * {@link OneLineLogFormatter}. {@link #useUnlessConfigured} names this class as JUL's configuration class, so it
 * runs only if and when something logs: commands that never log (such as {@code --version}) pay nothing for it.
 * A logging configuration of the user's ({@code -Djava.util.logging.config.file} or {@code .config.class}) wins.
 */
public final class ConsoleLogging {

    static final String PROPERTIES = """
            handlers=java.util.logging.ConsoleHandler
            .level=INFO
            java.util.logging.ConsoleHandler.level=INFO
            java.util.logging.ConsoleHandler.formatter=dev.miu.cli.OneLineLogFormatter
            """;

    /** Called by JUL's LogManager when it first starts (see {@link #useUnlessConfigured}). */
    public ConsoleLogging() {
        try {
            LogManager.getLogManager()
                    .readConfiguration(new ByteArrayInputStream(PROPERTIES.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an in-memory stream: does not happen
        }
    }

    /** Makes this JUL's configuration unless the user configured logging; call before anything logs. */
    static void useUnlessConfigured() {
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            System.setProperty("java.util.logging.config.class", ConsoleLogging.class.getName());
        }
    }
}
