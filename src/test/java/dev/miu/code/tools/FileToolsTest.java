package dev.miu.code.tools;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Read, Write and Edit, including Edit's edge cases. */
class FileToolsTest {

    @TempDir
    Path root;

    ToolCalls tools;

    @BeforeEach
    void setUp() {
        tools = new ToolCalls(root);
    }

    @Test
    void readNumbersLinesAndPagesWithOffsetAndLimit() throws Exception {
        Files.writeString(root.resolve("a.txt"), "one\ntwo\nthree\nfour\n");
        assertEquals(
                "     1\tone\n     2\ttwo\n     3\tthree\n     4\tfour\n",
                tools.ok("Read", "{\"file_path\":\"a.txt\"}"));
        String page = tools.ok("Read", "{\"file_path\":\"a.txt\",\"offset\":2,\"limit\":2}");
        assertEquals("     2\ttwo\n     3\tthree\n… (more lines follow; read on with offset 4)\n", page);
        assertTrue(tools.ok("Read", "{\"file_path\":\"a.txt\",\"offset\":9}").contains("past its end"));
        assertTrue(tools.error("Read", "{\"file_path\":\"a.txt\",\"offset\":0}").contains("at least 1"));
    }

    @Test
    void readCapsLongLinesAndHugeOutputs() throws Exception {
        Files.writeString(root.resolve("wide.txt"), "x".repeat(5000) + "\n" + ("y".repeat(1000) + "\n").repeat(300));
        String out = tools.ok("Read", "{\"file_path\":\"wide.txt\"}");
        assertTrue(out.lines().findFirst().orElseThrow().endsWith("… (line truncated)"));
        assertTrue(out.length() < ReadTool.MAX_OUTPUT_CHARS + 3000, "length " + out.length());
        assertTrue(out.strip().endsWith(")") && out.contains("read on with offset"), out.substring(out.length() - 100));
    }

    @Test
    void readRefusesBinaryMissingAndFolders() throws Exception {
        Files.write(root.resolve("img.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1, 2});
        assertEquals("Cannot read binary file: img.png", tools.error("Read", "{\"file_path\":\"img.png\"}"));
        assertEquals("File not found: nope.txt", tools.error("Read", "{\"file_path\":\"nope.txt\"}"));
        Files.createDirectories(root.resolve("dir"));
        assertTrue(tools.error("Read", "{\"file_path\":\"dir\"}").contains("is a directory"));
        assertTrue(tools.error("Read", "{}").contains("file_path"), "schema validation names the missing argument");
    }

    @Test
    void writeCreatesParentFoldersAndOverwrites() throws Exception {
        assertEquals(
                "Created deep/er/file.txt (5 bytes)",
                tools.ok(
                        "Write",
                        "{\"file_path\":\"deep/er/file.txt\",\"content\":\"héllo\".substring(0)}"
                                .replace(".substring(0)", "")
                                .replace("héllo", "hello")));
        assertEquals("hello", Files.readString(root.resolve("deep/er/file.txt")));
        assertTrue(tools.ok("Write", "{\"file_path\":\"deep/er/file.txt\",\"content\":\"é\"}")
                .startsWith("Overwrote"));
        assertEquals("é", Files.readString(root.resolve("deep/er/file.txt")));
        Files.createDirectories(root.resolve("d"));
        assertTrue(
                tools.error("Write", "{\"file_path\":\"d\",\"content\":\"x\"}").contains("is a directory"));
    }

    @Test
    void editReplacesAUniqueExactString() throws Exception {
        Files.writeString(root.resolve("A.java"), "class A {\n    int x = 1;\n}\n");
        assertEquals(
                "Replaced 1 occurrence in A.java",
                tools.ok(
                        "Edit",
                        "{\"file_path\":\"A.java\",\"old_string\":\"int x = 1;\",\"new_string\":\"int x = 2; // $1\"}"));
        assertEquals("class A {\n    int x = 2; // $1\n}\n", Files.readString(root.resolve("A.java")));
    }

    @Test
    void editRefusesZeroOrSeveralMatchesUnlessReplaceAll() throws Exception {
        Files.writeString(root.resolve("b.txt"), "foo bar foo baz foo\n");
        String none = tools.error("Edit", "{\"file_path\":\"b.txt\",\"old_string\":\"qux\",\"new_string\":\"x\"}");
        assertTrue(none.contains("not found"), none);
        String several = tools.error("Edit", "{\"file_path\":\"b.txt\",\"old_string\":\"foo\",\"new_string\":\"x\"}");
        assertTrue(several.contains("occurs 3 times") && several.contains("replace_all"), several);
        assertEquals(
                "foo bar foo baz foo\n", Files.readString(root.resolve("b.txt")), "a refused edit changes nothing");
        assertEquals(
                "Replaced 3 occurrences in b.txt",
                tools.ok(
                        "Edit",
                        "{\"file_path\":\"b.txt\",\"old_string\":\"foo\",\"new_string\":\"x\",\"replace_all\":true}"));
        assertEquals("x bar x baz x\n", Files.readString(root.resolve("b.txt")));
    }

    @Test
    void editRefusesEmptyIdenticalMissingAndBinary() throws Exception {
        Files.writeString(root.resolve("c.txt"), "abc\n");
        assertTrue(tools.error("Edit", "{\"file_path\":\"c.txt\",\"old_string\":\"\",\"new_string\":\"x\"}")
                .contains("empty"));
        assertTrue(tools.error("Edit", "{\"file_path\":\"c.txt\",\"old_string\":\"abc\",\"new_string\":\"abc\"}")
                .contains("same"));
        assertTrue(tools.error("Edit", "{\"file_path\":\"none.txt\",\"old_string\":\"a\",\"new_string\":\"b\"}")
                .contains("File not found"));
        Files.write(root.resolve("bin"), new byte[] {'a', 0, 'b'});
        assertTrue(tools.error("Edit", "{\"file_path\":\"bin\",\"old_string\":\"a\",\"new_string\":\"b\"}")
                .contains("binary"));
        assertTrue(tools.error("Edit", "{\"file_path\":\"c.txt\",\"old_string\":\"abc\"}")
                .contains("new_string"));
    }

    @Test
    void editKeepsMultiLineAndSpecialCharactersExact() throws Exception {
        Files.writeString(root.resolve("d.txt"), "a.*b\n\tindented\nend\n");
        tools.ok("Edit", "{\"file_path\":\"d.txt\",\"old_string\":\"a.*b\\n\\tindented\",\"new_string\":\"\\\\d+\"}");
        assertEquals("\\d+\nend\n", Files.readString(root.resolve("d.txt")));
    }
}
