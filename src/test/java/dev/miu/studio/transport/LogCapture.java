package dev.miu.studio.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log records of the web server and the studio's HTTP layer while it is open (the studio logs through
 * java.util.logging); other tests running in the same JVM log elsewhere.
 */
final class LogCapture extends Handler implements AutoCloseable {

    private final List<LogRecord> records = new ArrayList<>();
    private final Logger root = Logger.getLogger("");

    LogCapture() {
        setLevel(Level.INFO);
        root.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        String name = record.getLoggerName() == null ? "" : record.getLoggerName();
        if (isLoggable(record) && (name.startsWith("io.helidon") || name.startsWith("dev.miu.studio.http"))) {
            records.add(record);
        }
    }

    /** The lines the records would print: the message line, plus one per stack frame of a thrown exception. */
    synchronized int lines() {
        int lines = 0;
        for (LogRecord r : records) {
            lines++;
            for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                lines += 1 + t.getStackTrace().length;
            }
        }
        return lines;
    }

    synchronized List<String> messages() {
        return records.stream()
                .map(r -> r.getLoggerName() + ": " + r.getMessage()
                        + (r.getThrown() == null ? "" : " [" + r.getThrown() + "]"))
                .toList();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
