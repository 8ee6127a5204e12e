package dev.miu.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * miu's console log format: one line per record, {@code miu: MESSAGE} ({@code miu: warning: MESSAGE} and
 * {@code miu: error: MESSAGE} above INFO), an exception as its message on the same line. JUL's default spends two
 * lines on a date and the logging class and prints every stack trace; users read these lines, so the stack trace
 * comes only with {@code MIU_DEBUG=1}.
 */
public final class OneLineLogFormatter extends Formatter {

    private final boolean debug;

    /** Used by JUL (named in {@link ConsoleLogging}'s configuration): stack traces with {@code MIU_DEBUG=1}. */
    public OneLineLogFormatter() {
        this("1".equals(System.getenv("MIU_DEBUG")));
    }

    OneLineLogFormatter(boolean debug) {
        this.debug = debug;
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder("miu: ");
        int level = record.getLevel().intValue();
        if (level >= Level.SEVERE.intValue()) {
            line.append("error: ");
        } else if (level >= Level.WARNING.intValue()) {
            line.append("warning: ");
        }
        String message = formatMessage(record);
        line.append(message == null || message.isBlank() ? record.getLoggerName() : message);
        Throwable thrown = record.getThrown();
        if (thrown != null && !debug) {
            line.append(": ").append(summary(thrown));
        }
        String text = debug ? line.toString() : line.toString().replaceAll("\\s*\\R\\s*", " ");
        if (thrown != null && debug) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            return text + System.lineSeparator() + trace;
        }
        return text + System.lineSeparator();
    }

    /** The innermost cause's message (where the reason is), or its type when it has none. */
    private static String summary(Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
