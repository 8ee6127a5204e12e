package dev.miu.studio.openai;

import dev.miu.core.json.Json;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolResult;
import dev.miu.studio.Api;
import dev.miu.studio.StudioFixtures;
import dev.miu.studio.TestCatalog;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAI-compatible API over plain HTTP, against the scripted LLM: the wire shapes of models, completions and
 * chunks, the conversation handed to the agent, its tools run server-side, errors in OpenAI's shape, session-bound
 * turns, and a client leaving mid-stream.
 */
@ServerTest
@Timeout(60)
class OpenAiApiTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    static final AtomicInteger adds = new AtomicInteger();
    static final CountDownLatch waitInterrupted = new CountDownLatch(1);

    private final URI uri;
    private final Api api;
    private final HttpClient http = HttpClient.newHttpClient();

    OpenAiApiTest(URI uri) {
        this.uri = uri;
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Path data = StudioFixtures.tempDir();
        var schema = Json.object().add("type", "object").build();
        Tool add = Tool.of("add", "Adds two integers", schema, (input, ctx) -> {
            adds.incrementAndGet();
            return ToolResult.ok(String.valueOf(input.getInt("a") + input.getInt("b")));
        });
        Tool wait = Tool.of("wait", "Waits a long time", schema, (input, ctx) -> {
            try {
                Thread.sleep(Duration.ofSeconds(30));
                return ToolResult.ok("waited");
            } catch (InterruptedException e) {
                waitInterrupted.countDown();
                Thread.currentThread().interrupt();
                return ToolResult.error("interrupted");
            }
        });
        var agents = new TestCatalog(
                scripted.settings(),
                "helper",
                StudioTools.of(add, wait),
                TestCatalog.model("helper", "Helps with anything", null, "You help."),
                TestCatalog.model("other", "Another agent", null, "You are the other one."),
                TestCatalog.router("desk", "helper", "other", "other"));
        StudioFixtures.mount(server, StudioFixtures.studio(scripted.settings(), data, agents));
    }

    private static String request(String model, String messagesJson, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":" + messagesJson + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static String user(String text) {
        return "[{\"role\":\"user\",\"content\":\"" + text + "\"}]";
    }

    private Api.Resp complete(String body, String... headers) {
        return api.withHeaders(headers).post("/v1/chat/completions", body);
    }

    /** The {@code data:} payloads of a streamed answer, {@code [DONE]} included. */
    private List<String> stream(String body, String... headers) throws Exception {
        var builder = HttpRequest.newBuilder(uri.resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        HttpResponse<java.util.stream.Stream<String>> r =
                http.send(builder.build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<String> data = new ArrayList<>();
        try (var lines = r.body()) {
            lines.filter(l -> l.startsWith("data:"))
                    .forEach(l -> data.add(l.substring(5).strip()));
        }
        return data;
    }

    private static void assertOpenAiError(Api.Resp r, int status, String type, String code) {
        assertEquals(status, r.status(), r.body());
        JsonObject error = r.json().getJsonObject("error");
        assertEquals(type, error.getString("type"), r.body());
        assertFalse(error.getString("message").isBlank());
        if (code == null) {
            assertTrue(error.isNull("code"), r.body());
        } else {
            assertEquals(code, error.getString("code"), r.body());
        }
    }

    @Test
    void everyAgentIsAModel() {
        Api.Resp r = api.get("/v1/models");
        assertEquals(200, r.status(), r.body());
        assertEquals("list", r.json().getString("object"));
        JsonArray data = r.json().getJsonArray("data");
        assertEquals(
                List.of("helper", "other", "desk"),
                data.getValuesAs(JsonObject.class).stream()
                        .map(m -> m.getString("id"))
                        .toList());
        JsonObject first = data.getJsonObject(0);
        assertEquals("model", first.getString("object"));
        assertEquals("miu", first.getString("owned_by"));
        assertTrue(first.getJsonNumber("created").longValue() > 0);
        assertEquals("helper", api.get("/v1/models/helper").json().getString("id"));
        assertOpenAiError(api.get("/v1/models/nobody"), 404, "invalid_request_error", "model_not_found");
    }

    @Test
    void aCompletionRunsTheAgentOnTheRequestsConversation() {
        scripted.enqueue(Reply.text("Lisbon it is").withUsage(21, 4));
        String messages = "[{\"role\":\"system\",\"content\":\"Answer briefly.\"},"
                + "{\"role\":\"user\",\"content\":\"Pick a city\"},"
                + "{\"role\":\"assistant\",\"content\":\"Porto?\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Another \"},{\"type\":\"text\",\"text\":\"one\"}]}]";
        Api.Resp r = complete(request("helper", messages, "\"max_tokens\":50,\"temperature\":0.3,\"user\":\"x\""));
        assertEquals(200, r.status(), r.body());
        JsonObject c = r.json();
        assertEquals("chat.completion", c.getString("object"));
        assertTrue(c.getString("id").startsWith("chatcmpl-"));
        assertEquals("helper", c.getString("model"));
        JsonObject choice = c.getJsonArray("choices").getJsonObject(0);
        assertEquals("stop", choice.getString("finish_reason"));
        assertEquals("assistant", choice.getJsonObject("message").getString("role"));
        assertEquals("Lisbon it is", choice.getJsonObject("message").getString("content"));
        JsonObject usage = c.getJsonObject("usage");
        assertEquals(21, usage.getInt("prompt_tokens"));
        assertEquals(4, usage.getInt("completion_tokens"));
        assertEquals(25, usage.getInt("total_tokens"));

        JsonObject sent = scripted.lastRequest().json();
        assertEquals("You help.\n\nAnswer briefly.", sent.getString("system"), "the agent's instructions come first");
        assertEquals(50, sent.getInt("max_tokens"));
        assertEquals(0.3, sent.getJsonNumber("temperature").doubleValue(), 1e-9);
        JsonArray history = sent.getJsonArray("messages");
        assertEquals(3, history.size(), history.toString());
        assertTrue(history.toString().contains("Another one"), history.toString());
    }

    @Test
    void maxTokensOnlyLowersTheAgentsLimit() {
        scripted.enqueue(Reply.text("ok").withStopReason("max_tokens"));
        Api.Resp r = complete(request("helper", user("Hi"), "\"max_completion_tokens\":100000"));
        assertEquals(200, r.status(), r.body());
        assertEquals(1024, scripted.lastRequest().json().getInt("max_tokens"));
        assertEquals("length", r.json().getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
    }

    @Test
    void theAgentRunsItsToolsServerSide() {
        scripted.enqueue(
                Reply.turn(new Reply.Text("Adding."), new Reply.ToolCall("call_1", "add", "{\"a\":2,\"b\":3}")),
                Reply.text("It is 5"));
        int before = adds.get();
        Api.Resp r = complete(request("helper", user("What is 2+3?"), ""));
        assertEquals(200, r.status(), r.body());
        assertEquals(before + 1, adds.get(), "the tool ran on the server");
        assertEquals(
                "Adding.\n\nIt is 5",
                r.json()
                        .getJsonArray("choices")
                        .getJsonObject(0)
                        .getJsonObject("message")
                        .getString("content"));
        assertEquals(20, r.json().getJsonObject("usage").getInt("prompt_tokens"), "both model calls counted");
    }

    @Test
    void toolMessagesOfTheRequestBecomeToolResults() {
        scripted.enqueue(Reply.text("Sunny, then"));
        String messages = "[{\"role\":\"user\",\"content\":\"Weather?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\\\"Faro\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"sunny\"}]";
        Api.Resp r = complete(request("helper", messages, ""));
        assertEquals(200, r.status(), r.body());
        String sent = scripted.lastRequest().body();
        assertTrue(sent.contains("\"tool_use_id\":\"c1\"") && sent.contains("sunny"), sent);
        assertTrue(sent.contains("\"Faro\""), sent);
    }

    @Test
    void aStreamSendsChunksThenUsageThenDone() throws Exception {
        scripted.enqueue(Reply.text("one two three").withUsage(7, 3));
        List<String> data =
                stream(request("helper", user("Count"), "\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        assertEquals("[DONE]", data.getLast());
        List<JsonObject> chunks =
                data.subList(0, data.size() - 1).stream().map(Json::parseObject).toList();
        chunks.forEach(c -> assertEquals("chat.completion.chunk", c.getString("object")));
        assertEquals(1, chunks.stream().map(c -> c.getString("id")).distinct().count(), "one id for the stream");
        JsonObject first = chunks.getFirst().getJsonArray("choices").getJsonObject(0);
        assertEquals("assistant", first.getJsonObject("delta").getString("role"));
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (JsonObject c : chunks) {
            for (JsonObject choice : c.getJsonArray("choices").getValuesAs(JsonObject.class)) {
                text.append(choice.getJsonObject("delta").getString("content", ""));
                if (!choice.isNull("finish_reason")) {
                    finish = choice.getString("finish_reason");
                }
            }
        }
        assertEquals("one two three", text.toString());
        assertTrue(chunks.size() > 3, "streamed in pieces: " + data);
        assertEquals("stop", finish);
        JsonObject last = chunks.getLast();
        assertTrue(last.getJsonArray("choices").isEmpty());
        assertEquals(10, last.getJsonObject("usage").getInt("total_tokens"));
        assertTrue(chunks.getFirst().isNull("usage"), "only the last chunk carries the usage");
    }

    @Test
    void aStreamWithoutIncludeUsageHasNoUsageChunk() throws Exception {
        scripted.enqueue(Reply.text("hi"));
        List<String> data = stream(request("helper", user("Hi"), "\"stream\":true"));
        assertEquals("[DONE]", data.getLast());
        assertFalse(data.stream().anyMatch(d -> d.contains("\"usage\"")), data.toString());
    }

    @Test
    void aCompositionsAnswerIsGivenWhole() throws Exception {
        scripted.enqueue(Reply.text("The other one answers"));
        List<String> data = stream(request("desk", user("ask the other agent"), "\"stream\":true"));
        assertTrue(data.stream().anyMatch(d -> d.contains("\"content\":\"The other one answers\"")), data.toString());
        assertEquals("You are the other one.", scripted.lastRequest().json().getString("system"));
    }

    @Test
    void badRequestsAreRefusedInOpenAisShape() {
        assertOpenAiError(complete(request("nobody", user("Hi"), "")), 404, "invalid_request_error", "model_not_found");
        assertOpenAiError(complete("{\"messages\":" + user("Hi") + "}"), 400, "invalid_request_error", null);
        assertOpenAiError(complete(request("helper", "[]", "")), 400, "invalid_request_error", null);
        assertOpenAiError(complete("not json"), 400, "invalid_request_error", null);
        assertOpenAiError(complete(request("helper", user("Hi"), "\"n\":2")), 400, "invalid_request_error", null);
        assertOpenAiError(
                complete(request("helper", user("Hi"), "\"temperature\":3")), 400, "invalid_request_error", null);
        assertOpenAiError(
                complete(request("helper", "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]", "")),
                400,
                "invalid_request_error",
                null);
        assertOpenAiError(
                complete(request(
                        "helper",
                        "[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Yo\"}]",
                        "")),
                400,
                "invalid_request_error",
                null);
        assertOpenAiError(
                complete(request("helper", "[{\"role\":\"tool\",\"tool_call_id\":\"x\",\"content\":\"1\"}]", "")),
                400,
                "invalid_request_error",
                null);
        String many = "["
                + String.join(
                        ",",
                        java.util.Collections.nCopies(
                                CompletionRequest.MAX_MESSAGES + 1, "{\"role\":\"user\",\"content\":\"a\"}"))
                + "]";
        assertOpenAiError(complete(request("helper", many, "")), 400, "invalid_request_error", null);
        String huge = "x".repeat(1024 * 1024 + 1);
        assertOpenAiError(complete(request("helper", user(huge), "")), 413, "invalid_request_error", null);
        assertOpenAiError(api.get("/v1/chat/completions"), 405, "invalid_request_error", null);
        assertOpenAiError(api.get("/v1/embeddings"), 404, "invalid_request_error", null);
        assertEquals(0, scripted.requestCount(), "no model was called");
    }

    @Test
    void aProvidersRateLimitIsA429AndItsFailureA502() throws Exception {
        scripted.enqueue(
                Reply.status(429, "slow down"), Reply.status(429, "slow down"), Reply.status(429, "slow down"));
        assertOpenAiError(complete(request("helper", user("Hi"), "")), 429, "rate_limit_error", "rate_limit_exceeded");
        scripted.enqueue(Reply.status(400, "bad model request"));
        assertOpenAiError(complete(request("helper", user("Hi"), "")), 502, "server_error", null);
        scripted.enqueue(Reply.status(400, "bad model request"));
        List<String> data = stream(request("helper", user("Hi"), "\"stream\":true"));
        JsonObject error = Json.parseObject(data.getLast()).getJsonObject("error");
        assertTrue(error.getString("message").contains("bad model request"), data.toString());
        assertFalse(data.contains("[DONE]"));
    }

    @Test
    void aSessionHeaderMakesItAStoredTurnOnTheLastUserMessage() {
        String id =
                api.post("/api/v1/sessions", "{\"agent\":\"helper\"}").json().getString("id");
        scripted.enqueue(Reply.text("First answer"), Reply.text("Second answer"));
        assertEquals(
                200,
                complete(request("helper", user("First"), ""), OpenAiService.SESSION_HEADER, id)
                        .status());
        String messages =
                "[{\"role\":\"user\",\"content\":\"ignored history\"},{\"role\":\"user\",\"content\":\"Second\"}]";
        Api.Resp r = complete(request("helper", messages, ""), OpenAiService.SESSION_HEADER, id);
        assertEquals(200, r.status(), r.body());
        assertEquals(
                "Second answer",
                r.json()
                        .getJsonArray("choices")
                        .getJsonObject(0)
                        .getJsonObject("message")
                        .getString("content"));
        String sent = scripted.lastRequest().json().getJsonArray("messages").toString();
        assertTrue(sent.contains("First answer") && sent.contains("Second"), sent);
        assertFalse(sent.contains("ignored history"), "the history is the session's: " + sent);
        JsonArray stored = api.get("/api/v1/sessions/" + id).json().getJsonArray("messages");
        assertEquals(4, stored.size(), stored.toString());

        assertOpenAiError(
                complete(request("other", user("Hi"), ""), OpenAiService.SESSION_HEADER, id),
                400,
                "invalid_request_error",
                null);
        assertOpenAiError(
                complete(request("helper", user("Hi"), ""), OpenAiService.SESSION_HEADER, "not a session"),
                400,
                "invalid_request_error",
                null);
    }

    @Test
    void aClientLeavingMidStreamStopsTheTurn() throws Exception {
        scripted.enqueue(Reply.toolCall("call_w", "wait", "{}"));
        byte[] body = request("helper", user("Wait for me"), "\"stream\":true").getBytes(StandardCharsets.UTF_8);
        try (var socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("data:")) {
                // the status line and headers
            }
            assertTrue(line != null && line.contains("\"role\":\"assistant\""), "the stream opened: " + line);
            assertTrue(
                    org.awaitility.Awaitility.await()
                            .atMost(Duration.ofSeconds(10))
                            .until(() -> scripted.requestCount() > 0, c -> c),
                    "the model was called");
        } // leaves while the agent's tool runs
        assertTrue(waitInterrupted.await(20, TimeUnit.SECONDS), "the turn was stopped when its client left");
    }
}
