package dev.miu.cli;

import dev.miu.core.json.Json;
import dev.miu.core.mcp.NpmMcpServers;
import dev.miu.testing.ChildEnvironment;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21, item 11: {@code miu -q} (default mode, nobody to ask) with the real filesystem server runs the tools
 * the server marks read-only ({@code readOnlyHint}) and refuses the others, telling the model that {@code -q}
 * could not ask, not that the user said no.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MiuQueryReadOnlyMcpTest {

    @TempDir
    Path dir;

    @Test
    void readOnlyMcpToolsRunAndWritingOnesAreRefusedBecauseNobodyCanBeAsked() throws Exception {
        String filesystem = NpmMcpServers.require(NpmMcpServers.FILESYSTEM);
        Path notes = Files.createDirectories(dir.resolve("notes"));
        Files.writeString(notes.resolve("todo.txt"), "buy milk");
        Path mcpJson = dir.resolve("mcp.json");
        Files.writeString(
                mcpJson,
                Json.write(Json.object()
                        .add(
                                "mcpServers",
                                Json.object()
                                        .add(
                                                "fs",
                                                Json.object()
                                                        .add("command", filesystem)
                                                        .add(
                                                                "args",
                                                                Json.array().add(notes.toString()))))
                        .build()));

        try (var llm = ScriptedLlmServer.start()) {
            llm.enqueue(
                    Reply.toolCall(
                            "toolu_1",
                            "fs__list_directory",
                            Json.write(
                                    Json.object().add("path", notes.toString()).build())),
                    Reply.toolCall(
                            "toolu_2",
                            "fs__write_file",
                            Json.write(Json.object()
                                    .add("path", notes.resolve("done.txt").toString())
                                    .add("content", "x")
                                    .build())),
                    Reply.text("Your notes folder has todo.txt."));
            var builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            Main.class.getName(),
                            "--mcp-config",
                            mcpJson.toString(),
                            "-q",
                            "What files are in my notes folder?")
                    .directory(dir.toFile());
            ChildEnvironment.removeProviderAndMiuSettings(builder.environment());
            builder.environment().putAll(llm.environment());
            builder.environment().put("MIU_MODEL", "anthropic:claude-test");
            builder.environment().put("MIU_DATA_DIR", dir.resolve("data").toString());
            Path out = dir.resolve("out.txt");
            Path err = dir.resolve("err.txt");
            Process process = builder.redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "miu -q did not finish");
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);

            assertEquals(0, process.exitValue(), "stdout: " + stdout + "\nstderr: " + stderr);
            assertEquals("Your notes folder has todo.txt.\n", stdout);
            llm.assertAllConsumed();
            JsonObject listed = lastToolResult(llm.requests().get(1).json());
            assertFalse(listed.getBoolean("is_error", false), listed.toString());
            assertTrue(listed.getString("content").contains("[FILE] todo.txt"), listed.toString());

            JsonObject refused = lastToolResult(llm.requests().get(2).json());
            assertTrue(refused.getBoolean("is_error", false), refused.toString());
            assertTrue(
                    refused.getString("content")
                            .startsWith("Refused: this fs__write_file call was not run because "
                                    + "miu -q cannot ask for approval"),
                    refused.toString());
            assertTrue(refused.getString("content").contains("--mode auto"), refused.toString());
            assertFalse(refused.getString("content").contains("denied"), refused.toString());
            assertFalse(Files.exists(notes.resolve("done.txt")), "the refused write did not happen");
        }
    }

    private static JsonObject lastToolResult(JsonObject request) {
        JsonArray messages = request.getJsonArray("messages");
        return messages.getJsonObject(messages.size() - 1)
                .getJsonArray("content")
                .getJsonObject(0);
    }
}
