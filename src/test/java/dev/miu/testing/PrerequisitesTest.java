package dev.miu.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A missing prerequisite skips a test with the reason locally, and fails it under CI=true. */
class PrerequisitesTest {

    @TempDir
    Path dir;

    @Test
    void missingSkipsLocallyWithTheReason() {
        var skipped = assertThrows(
                TestAbortedException.class,
                () -> Prerequisites.require(false, "tmux is missing; apt-get install tmux", Map.of()));
        assertTrue(skipped.getMessage().contains("apt-get install tmux"), skipped.getMessage());
        assertThrows(TestAbortedException.class, () -> Prerequisites.require(false, "x", Map.of("CI", "false")));
    }

    @Test
    void missingFailsUnderCi() {
        var failed = assertThrows(
                AssertionError.class,
                () -> Prerequisites.require(false, "tmux is missing; apt-get install tmux", Map.of("CI", "true")));
        assertTrue(failed.getMessage().contains("apt-get install tmux"), failed.getMessage());
    }

    @Test
    void presentPassesEverywhere() {
        assertDoesNotThrow(() -> Prerequisites.require(true, "x", Map.of("CI", "true")));
        assertDoesNotThrow(() -> Prerequisites.require(true, "x", Map.of()));
    }

    @Test
    void executablesAreFoundOnThePathOrByAbsolutePath() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path tool = Files.writeString(bin.resolve("tool"), "#!/bin/sh\n");
        assertEquals(Optional.empty(), Prerequisites.find("tool", bin.toString()), "not executable yet");
        assertTrue(tool.toFile().setExecutable(true));
        assertEquals(Optional.of(tool), Prerequisites.find("tool", dir + ":" + bin));
        assertEquals(Optional.of(tool), Prerequisites.find(tool.toString(), null));
        assertEquals(Optional.empty(), Prerequisites.find("bin", dir.toString()), "a directory is no executable");
        assertEquals(Optional.empty(), Prerequisites.find("tool", null));
    }
}
