package dev.miu.cli;

import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A provider's retries are one line each on stderr, as a user reads them, not JUL's two-line default. */
@Timeout(90)
class ProviderRetryLogTest {

    @TempDir
    Path dir;

    @Test
    void eachRetryIsOneLine() throws Exception {
        try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
            llm.enqueue(Reply.status(500, "overloaded"), Reply.status(500, "overloaded"), Reply.text("Paris"));
            Map<String, String> env = new HashMap<>(llm.environment());
            env.put("MIU_MODEL", "anthropic:claude-test");
            MiuProcess.Result r = MiuProcess.run(dir, env, "-q", "Capital of France?");
            assertEquals(0, r.exit(), r.err());
            assertEquals("Paris", r.out().strip());
            List<String> lines = r.err().strip().lines().toList();
            assertEquals(2, lines.size(), r.err());
            assertTrue(lines.get(0).matches("miu: anthropic HTTP 500, retrying in \\d+\\.\\d s \\(1/2\\)"), r.err());
            assertTrue(lines.get(1).matches("miu: anthropic HTTP 500, retrying in \\d+\\.\\d s \\(2/2\\)"), r.err());
            llm.assertAllConsumed();
        }
    }

    @Test
    void anExceptionStaysOnTheLineUnlessDebugging() {
        var record = new LogRecord(Level.SEVERE, "Export of {0} failed");
        record.setParameters(new Object[] {"spans"});
        record.setThrown(new IllegalStateException("outer", new java.net.ConnectException("Connection refused")));
        assertEquals(
                "miu: error: Export of spans failed: Connection refused" + System.lineSeparator(),
                new OneLineLogFormatter(false).format(record));
        String debug = new OneLineLogFormatter(true).format(record);
        assertTrue(
                debug.startsWith("miu: error: Export of spans failed" + System.lineSeparator()
                        + "java.lang.IllegalStateException: outer"),
                debug);
        var multiLine = new LogRecord(Level.WARNING, "first\n  second");
        assertEquals(
                "miu: warning: first second" + System.lineSeparator(),
                new OneLineLogFormatter(false).format(multiLine));
    }
}
