package dev.miu.studio.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.miu.config.MiuConfig;
import dev.miu.config.ServerSettings;
import dev.miu.core.json.Json;
import dev.miu.core.mcp.McpServers;
import dev.miu.studio.Studio;
import dev.miu.studio.StudioFixtures;
import dev.miu.studio.TestCatalog;
import dev.miu.studio.session.FileSessionRepository;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Prerequisites;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import dev.miu.testing.TempDirs;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official OpenAI SDKs as clients of miu's agents: {@code openai-java} in this JVM and the {@code openai} npm
 * package from a node script (installed by .ci/run; missing, the test fails under CI and skips elsewhere). Models
 * listed, a completion plain and streamed, and errors raised as the SDKs' own exception types.
 */
@ServerTest
@Timeout(90)
class OpenAiSdkTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private static final String KEY = "miu-sdk-test-key";
    /** The npm SDK .ci/run installs (the newest 7.x the registry serves). */
    static final String NPM_SDK = "openai@7.60.0";

    private final String baseUrl;

    OpenAiSdkTest(URI uri) {
        this.baseUrl = uri.resolve("/v1").toString();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Path data = StudioFixtures.tempDir();
        MiuConfig config = StudioFixtures.config(
                scripted.settings(), data, new ServerSettings("127.0.0.1", 0, KEY, List.of(), 1024 * 1024));
        var agents = new TestCatalog(
                scripted.settings(),
                "helper",
                StudioTools.none(),
                TestCatalog.model("helper", "Helps with anything", null, "You help."));
        StudioFixtures.mount(
                server,
                new Studio(
                        config, new FileSessionRepository(data), StudioTools.none(), agents, McpServers.none(), null));
    }

    private OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl)
                .apiKey(key)
                .maxRetries(0)
                .build();
    }

    @Test
    void theJavaSdkListsModelsAndCompletesPlainAndStreamed() {
        OpenAIClient client = client(KEY);
        try {
            List<Model> models = client.models().list().data();
            assertEquals(List.of("helper"), models.stream().map(Model::id).toList());

            scripted.enqueue(Reply.text("Hello from miu").withUsage(12, 3), Reply.text("Hello again, streamed"));
            var params = ChatCompletionCreateParams.builder()
                    .model("helper")
                    .addSystemMessage("Be brief.")
                    .addUserMessage("Say hello")
                    .maxCompletionTokens(40)
                    .temperature(0.5)
                    .build();
            ChatCompletion completion = client.chat().completions().create(params);
            assertEquals(
                    "Hello from miu",
                    completion.choices().getFirst().message().content().orElseThrow());
            assertEquals(
                    ChatCompletion.Choice.FinishReason.STOP,
                    completion.choices().getFirst().finishReason());
            assertEquals(15, completion.usage().orElseThrow().totalTokens());
            JsonObject sent = scripted.lastRequest().json();
            assertEquals(40, sent.getInt("max_tokens"));
            assertEquals("You help.\n\nBe brief.", sent.getString("system"));

            var streamed = new StringBuilder();
            long total = -1;
            try (StreamResponse<ChatCompletionChunk> stream = client.chat()
                    .completions()
                    .createStreaming(params.toBuilder()
                            .streamOptions(ChatCompletionStreamOptions.builder()
                                    .includeUsage(true)
                                    .build())
                            .build())) {
                for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                    chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append));
                    if (chunk.usage().isPresent()) {
                        total = chunk.usage().get().totalTokens();
                    }
                }
            }
            assertEquals("Hello again, streamed", streamed.toString());
            assertEquals(15, total, "the usage chunk");
        } finally {
            client.close();
        }
    }

    @Test
    void theJavaSdkRaisesItsOwnErrors() {
        OpenAIClient client = client(KEY);
        OpenAIClient wrong = client("wrong-key");
        try {
            var params = ChatCompletionCreateParams.builder()
                    .model("no-such-agent")
                    .addUserMessage("Hi")
                    .build();
            NotFoundException notFound = assertThrows(
                    NotFoundException.class, () -> client.chat().completions().create(params));
            assertEquals("model_not_found", notFound.code().orElseThrow());
            assertThrows(UnauthorizedException.class, () -> wrong.models().list());
        } finally {
            client.close();
            wrong.close();
        }
    }

    @Test
    void theNpmSdkListsModelsCompletesAndRaisesErrors() throws Exception {
        Path node = Prerequisites.executable("node", "apt-get install nodejs");
        String nodePath = globalNodeModules();
        Prerequisites.require(
                nodePath != null && Files.isRegularFile(Path.of(nodePath, "openai", "package.json")),
                "the openai npm SDK is not installed; install it with `npm install -g " + NPM_SDK + "` (.ci/run does)");
        Path dir = TempDirs.create("miu-openai-sdk");
        Path script = dir.resolve("sdk-client.cjs");
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/openai/sdk-client.cjs"))) {
            Files.copy(in, script);
        }
        scripted.enqueue(Reply.text("Hello from miu").withUsage(12, 3), Reply.text("Hello again, streamed"));
        var process = new ProcessBuilder(node.toString(), script.toString(), baseUrl, KEY, "helper")
                .directory(dir.toFile())
                .redirectError(dir.resolve("stderr.txt").toFile());
        process.environment().put("NODE_PATH", nodePath);
        Process p = process.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out + Files.readString(dir.resolve("stderr.txt")));
        JsonObject seen = Json.parseObject(out.strip());

        assertTrue(seen.getString("version").startsWith("7."), seen.toString());
        assertEquals("helper", seen.getJsonArray("models").getJsonObject(0).getString("id"));
        assertEquals("miu", seen.getJsonArray("models").getJsonObject(0).getString("owned_by"));
        JsonObject plain = seen.getJsonObject("plain");
        assertEquals("chat.completion", plain.getString("object"));
        assertEquals("Hello from miu", plain.getString("content"));
        assertEquals("stop", plain.getString("finish"));
        assertEquals(15, plain.getInt("total"));
        JsonObject streamed = seen.getJsonObject("streamed");
        assertEquals("Hello again, streamed", streamed.getString("text"));
        assertEquals("stop", streamed.getString("finish"));
        assertEquals(15, streamed.getInt("total"));
        assertTrue(streamed.getInt("chunks") > 3, streamed.toString());
        JsonObject error = seen.getJsonObject("error");
        assertTrue(error.getBoolean("notFound"), error.toString());
        assertEquals(404, error.getInt("status"));
        assertEquals("model_not_found", error.getString("code"));
        JsonObject auth = seen.getJsonObject("auth");
        assertTrue(auth.getBoolean("unauthorized"), auth.toString());
        assertEquals(401, auth.getInt("status"));
    }

    /** Where {@code npm install -g} puts packages ({@code npm root -g}), or null without npm. */
    private static String globalNodeModules() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("npm", "root", "-g")
                    .redirectErrorStream(false)
                    .start();
            String root = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && !root.isEmpty() ? root : null;
        } catch (IOException e) {
            return null;
        }
    }
}
