package dev.miu.studio.chat;

import dev.miu.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The diff shown with a waiting Write or Edit: what the call would change in the file as it is now. */
class ProposedDiffTest {

    @TempDir
    Path ws;

    @Test
    void anEditShowsTheChangedLineWithItsContext() throws Exception {
        Files.writeString(ws.resolve("f.txt"), "1\n2\n3\n4\n5\n6\n7\n8\n");
        var input = Json.object()
                .add("file_path", "f.txt")
                .add("old_string", "5")
                .add("new_string", "five")
                .build();
        assertEquals(
                "--- a/f.txt\n+++ b/f.txt\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n",
                ProposedDiff.of(ws, "Edit", input));
    }

    @Test
    void aWriteOverAFileAndCallsThatWouldFail() throws Exception {
        Files.writeString(ws.resolve("g.txt"), "old\n");
        var write =
                Json.object().add("file_path", "g.txt").add("content", "new\n").build();
        assertEquals("--- a/g.txt\n+++ b/g.txt\n@@ -1,1 +1,1 @@\n-old\n+new\n", ProposedDiff.of(ws, "Write", write));
        var missing = Json.object()
                .add("file_path", "g.txt")
                .add("old_string", "absent")
                .add("new_string", "x")
                .build();
        assertNull(ProposedDiff.of(ws, "Edit", missing));
        var outside =
                Json.object().add("file_path", "../x.txt").add("content", "x").build();
        assertNull(ProposedDiff.of(ws, "Write", outside));
        assertNull(
                ProposedDiff.of(ws, "Bash", Json.object().add("command", "ls").build()));
    }
}
