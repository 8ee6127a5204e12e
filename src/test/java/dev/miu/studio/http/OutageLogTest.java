package dev.miu.studio.http;

import dev.miu.studio.session.SessionStoreUnavailableException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A store outage under load is one warning now and then, not one per request that failed. */
class OutageLogTest {

    @Test
    void manyFailedRequestsInARowLogAtMostOneWarning() {
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (records) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(Errors.class.getName());
        logger.addHandler(handler);
        try {
            var outage = new SessionStoreUnavailableException(
                    "The session database cannot be reached right now; try again shortly",
                    new java.sql.SQLException("Connection refused", "08001"));
            for (int i = 0; i < 50; i++) {
                Errors.logOutage(outage);
            }
        } finally {
            logger.removeHandler(handler);
        }
        assertTrue(records.size() <= 1, records.size() + " warnings for 50 failed requests");
    }
}
