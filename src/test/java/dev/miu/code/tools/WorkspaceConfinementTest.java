package dev.miu.code.tools;

import dev.miu.code.AccessDeniedException;
import dev.miu.code.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every tool refuses paths outside the workspace: {@code ..}, absolute paths and symlinks pointing out. */
class WorkspaceConfinementTest {

    @TempDir
    Path tmp;

    Path root;
    Path outside;
    ToolCalls tools;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("ws"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "top secret\n");
        Files.writeString(root.resolve("inside.txt"), "hello\n");
        Files.createSymbolicLink(root.resolve("link-out"), outside);
        Files.createSymbolicLink(root.resolve("secret-link.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("link-in.txt"), root.resolve("inside.txt"));
        tools = new ToolCalls(root);
    }

    @Test
    void resolvesPathsInsideTheWorkspace() throws Exception {
        Workspace ws = Workspace.of(root);
        assertEquals(root.toRealPath().resolve("inside.txt"), ws.resolve("inside.txt"));
        assertEquals(root.toRealPath().resolve("inside.txt"), ws.resolve("./sub/../inside.txt"));
        assertEquals(
                root.toRealPath().resolve("inside.txt"),
                ws.resolve(root.resolve("inside.txt").toString()));
        assertEquals(root.toRealPath().resolve("new/dir/file.txt"), ws.resolve("new/dir/file.txt"));
        assertEquals(root.toRealPath().resolve("inside.txt"), ws.resolve("link-in.txt"), "a link inside stays inside");
    }

    @Test
    void refusesEscapes() {
        Workspace ws = Workspace.of(root);
        for (String bad : new String[] {
            "../outside/secret.txt",
            "..",
            outside.resolve("secret.txt").toString(),
            "/etc/passwd",
            "link-out/secret.txt",
            "secret-link.txt",
            "link-out/new.txt",
            "sub/../../outside",
            ""
        }) {
            var e = assertThrows(AccessDeniedException.class, () -> ws.resolve(bad), bad);
            assertTrue(e.getMessage().startsWith("Access denied"), e.getMessage());
        }
    }

    @Test
    void readRefusesDotDotAbsoluteAndSymlinks() {
        assertTrue(
                tools.error("Read", "{\"file_path\":\"../outside/secret.txt\"}").startsWith("Access denied"));
        assertTrue(tools.error(
                        "Read",
                        "{\"file_path\":"
                                + ToolCalls.json(outside.resolve("secret.txt").toString()) + "}")
                .startsWith("Access denied"));
        assertTrue(tools.error("Read", "{\"file_path\":\"secret-link.txt\"}").startsWith("Access denied"));
        assertTrue(
                tools.error("Read", "{\"file_path\":\"link-out/secret.txt\"}").startsWith("Access denied"));
    }

    @Test
    void writeAndEditRefuseOutsideAndChangeNothing() throws Exception {
        assertTrue(tools.error("Write", "{\"file_path\":\"../outside/new.txt\",\"content\":\"x\"}")
                .startsWith("Access denied"));
        assertTrue(tools.error("Write", "{\"file_path\":\"link-out/new.txt\",\"content\":\"x\"}")
                .startsWith("Access denied"));
        assertTrue(
                tools.error("Edit", "{\"file_path\":\"secret-link.txt\",\"old_string\":\"top\",\"new_string\":\"no\"}")
                        .startsWith("Access denied"));
        assertFalse(Files.exists(outside.resolve("new.txt")));
        assertEquals("top secret\n", Files.readString(outside.resolve("secret.txt")));
    }

    @Test
    void searchToolsRefuseOutsideAndDoNotFollowLinksOut() {
        assertTrue(tools.error("Glob", "{\"pattern\":\"*\",\"path\":\"..\"}").startsWith("Access denied"));
        assertTrue(tools.error("Grep", "{\"pattern\":\"secret\",\"path\":\"link-out\"}")
                .startsWith("Access denied"));
        String all = tools.ok("Grep", "{\"pattern\":\"secret\"}");
        assertFalse(all.contains("top secret"), "Grep must not read through a link that points out: " + all);
        String files = tools.ok("Glob", "{\"pattern\":\"**/*\"}");
        assertFalse(files.contains("link-out/secret.txt"), files);
    }
}
