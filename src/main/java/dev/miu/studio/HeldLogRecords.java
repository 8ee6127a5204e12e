package dev.miu.studio;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Holds back what a logger tree writes (here Helidon's, while the server starts) so the caller can decide
 * afterwards: {@link #close} passes the records on as if they had never been held, unless {@link #drop} was called.
 * Helidon logs a port that is taken as two SEVERE records with a 30-line stack trace before it returns; miu says
 * the same thing in one line, so on that failure the records are dropped. On any other outcome, an exception
 * included, they are written.
 */
final class HeldLogRecords implements AutoCloseable {

    private final Logger logger;
    private final boolean usedParentHandlers;
    private final List<LogRecord> held = new CopyOnWriteArrayList<>();
    private final Handler holder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            held.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private boolean closed;

    private HeldLogRecords(Logger logger) {
        this.logger = logger;
        this.usedParentHandlers = logger.getUseParentHandlers();
        // handlers of its own come from a logging configuration of the user's: it writes where and what it says
        this.closed = logger.getHandlers().length > 0;
        if (!closed) {
            logger.addHandler(holder);
            logger.setUseParentHandlers(false);
        }
    }

    /** Starts holding the records of {@code logger} and its children (those that pass their levels). */
    static HeldLogRecords hold(Logger logger) {
        return new HeldLogRecords(logger);
    }

    /** Forgets the records held so far: the caller reports what they said. */
    void drop() {
        held.clear();
    }

    /** Stops holding and writes the records held (and not dropped) where they would have gone. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        logger.removeHandler(holder);
        logger.setUseParentHandlers(usedParentHandlers);
        for (LogRecord record : held) {
            Logger.getLogger(record.getLoggerName() == null ? "" : record.getLoggerName())
                    .log(record);
        }
        held.clear();
    }
}
