package dev.miu.code.tools;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Glob (sorted, capped) and Grep (regex, file:line: text, glob filter, cap). */
class SearchToolsTest {

    @TempDir
    Path root;

    ToolCalls tools;

    @BeforeEach
    void setUp() throws Exception {
        tools = new ToolCalls(root);
        Files.createDirectories(root.resolve("src/main"));
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve("src/main/B.java"), "class B {\n  // TODO: tidy\n}\n");
        Files.writeString(root.resolve("src/A.java"), "class A {}\n");
        Files.writeString(root.resolve("Top.java"), "// todo later\n");
        Files.writeString(root.resolve("notes.md"), "TODO: write docs\n");
        Files.writeString(root.resolve(".git/config"), "TODO inside git\n");
        Files.write(root.resolve("blob.bin"), new byte[] {'T', 'O', 'D', 'O', 0});
    }

    @Test
    void globMatchesSortedAndSkipsGit() {
        assertEquals("Top.java\nsrc/A.java\nsrc/main/B.java\n", tools.ok("Glob", "{\"pattern\":\"**/*.java\"}"));
        assertEquals("src/A.java\nsrc/main/B.java\n", tools.ok("Glob", "{\"pattern\":\"**/*.java\",\"path\":\"src\"}"));
        assertEquals("notes.md\n", tools.ok("Glob", "{\"pattern\":\"*.md\"}"));
        assertTrue(tools.ok("Glob", "{\"pattern\":\"**/config\"}").startsWith("No files match"));
        assertTrue(tools.error("Glob", "{\"pattern\":\"[\"}").startsWith("Invalid glob"));
    }

    @Test
    void globIsCapped() throws Exception {
        Files.createDirectories(root.resolve("many"));
        for (int i = 0; i < GlobTool.MAX_RESULTS + 7; i++) {
            Files.writeString(root.resolve("many/f" + String.format("%04d", i) + ".txt"), "");
        }
        String out = tools.ok("Glob", "{\"pattern\":\"many/*.txt\"}");
        assertEquals(GlobTool.MAX_RESULTS + 1, out.lines().count());
        assertTrue(out.startsWith("many/f0000.txt\n"));
        assertTrue(
                out.strip().endsWith("(7 more not shown; narrow the pattern)"),
                out.lines().toList().getLast());
    }

    @Test
    void grepPrintsFileLineAndText() {
        assertEquals(
                "notes.md:1: TODO: write docs\nsrc/main/B.java:2:   // TODO: tidy\n",
                tools.ok("Grep", "{\"pattern\":\"TODO\"}"));
        assertEquals(
                "Top.java:1: // todo later\nnotes.md:1: TODO: write docs\nsrc/main/B.java:2:   // TODO: tidy\n",
                tools.ok("Grep", "{\"pattern\":\"todo\",\"ignore_case\":true}"));
        assertEquals(
                "src/main/B.java:2:   // TODO: tidy\n",
                tools.ok("Grep", "{\"pattern\":\"TO+DO\",\"glob\":\"**/*.java\"}"));
        assertEquals(
                "src/main/B.java:1: class B {\n",
                tools.ok("Grep", "{\"pattern\":\"^class\",\"path\":\"src/main/B.java\"}"));
        assertTrue(tools.ok("Grep", "{\"pattern\":\"nothing-like-this\"}").startsWith("No matches"));
        assertTrue(tools.error("Grep", "{\"pattern\":\"(unclosed\"}").startsWith("Invalid regular expression"));
    }

    @Test
    void grepIsCapped() throws Exception {
        Files.writeString(root.resolve("big.txt"), "hit\n".repeat(GrepTool.MAX_MATCHES + 5));
        String out = tools.ok("Grep", "{\"pattern\":\"hit\",\"path\":\"big.txt\"}");
        assertEquals(GrepTool.MAX_MATCHES + 1, out.lines().count());
        assertTrue(out.strip().endsWith("(5 more matches not shown; narrow the pattern, path or glob)"));
    }
}
