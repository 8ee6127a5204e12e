package dev.miu.studio;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records held while the server starts are written afterwards, in order, unless they were dropped. */
class HeldLogRecordsTest {

    private final Logger parent = Logger.getLogger("miu.test.held");
    private final Logger child = Logger.getLogger("miu.test.held.child");

    @Test
    void heldRecordsAreWrittenOnCloseAndDroppedOnesAreNot() {
        List<String> written = new ArrayList<>();
        Handler seen = new Handler() {
            @Override
            public void publish(LogRecord record) {
                written.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger.getLogger("miu.test").addHandler(seen);
        try {
            try (HeldLogRecords held = HeldLogRecords.hold(parent)) {
                child.warning("first");
                child.severe("second");
                assertEquals(List.of(), written, "held while starting");
            }
            assertEquals(List.of("first", "second"), written);
            assertTrue(parent.getUseParentHandlers(), "the logger is as it was");

            written.clear();
            try (HeldLogRecords held = HeldLogRecords.hold(parent)) {
                child.severe("Failed to start listener");
                held.drop();
                child.warning("after the drop");
            }
            assertEquals(List.of("after the drop"), written);
            child.warning("later");
            assertEquals(List.of("after the drop", "later"), written, "no longer held");
        } finally {
            Logger.getLogger("miu.test").removeHandler(seen);
        }
    }
}
