package dev.miu.code.tools;

import dev.miu.core.message.ContentBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bash: runs in the workspace, reports the exit code, caps output, kills the whole tree on timeout. */
@Timeout(60)
class BashToolTest {

    @TempDir
    Path root;

    @Test
    void runsInTheWorkspaceAndReportsTheExitCode() throws Exception {
        var tools = new ToolCalls(root);
        Files.writeString(root.resolve("here.txt"), "x");
        assertEquals("Exit code: 0\nhere.txt\nerr\n", tools.ok("Bash", "{\"command\":\"ls; echo err >&2\"}"));
        ContentBlock.ToolResult failed = tools.call("Bash", "{\"command\":\"echo nope; exit 3\"}");
        assertTrue(failed.isError());
        assertEquals("Exit code: 3\nnope\n", failed.content());
        assertEquals("Exit code: 0\n(no output)", tools.ok("Bash", "{\"command\":\"true\"}"));
        assertTrue(
                tools.error("Bash", "{\"command\":\"true\",\"timeout_ms\":0}").contains("timeout_ms"));
    }

    @Test
    void getsNoInput() {
        var tools = new ToolCalls(root);
        assertEquals("Exit code: 0\n0\n", tools.ok("Bash", "{\"command\":\"cat | wc -c\"}"));
    }

    @Test
    void capsTheOutput() {
        var tools = new ToolCalls(root);
        String out = tools.ok("Bash", "{\"command\":\"head -c 100000 /dev/zero | tr '\\\\\\\\0' a\"}");
        assertTrue(out.length() < BashTool.MAX_OUTPUT_CHARS + 100, "length " + out.length());
        assertTrue(
                out.endsWith("(output truncated at " + BashTool.MAX_OUTPUT_CHARS + " characters)"),
                out.substring(out.length() - 80));
    }

    @Test
    void killsTheWholeProcessTreeOnTimeout() throws Exception {
        var tools = new ToolCalls(root);
        Path pidFile = root.resolve("child.pid");
        long start = System.nanoTime();
        String out = tools.error(
                "Bash", "{\"command\":\"(sleep 300 & echo $! > child.pid; wait) ; echo never\",\"timeout_ms\":1500}");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(out.startsWith("Command timed out after 1500 ms"), out);
        assertFalse(out.contains("never"));
        assertTrue(elapsedMs < 20_000, "took " + elapsedMs + " ms");
        long childPid = Long.parseLong(Files.readString(pidFile).strip());
        await("the grandchild sleep was killed")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> ProcessHandle.of(childPid)
                                .map(ProcessHandle::isAlive)
                                .orElse(false),
                        alive -> !alive);
    }
}
