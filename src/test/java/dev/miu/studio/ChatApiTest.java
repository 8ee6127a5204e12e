package dev.miu.studio;

import dev.miu.core.json.Json;
import dev.miu.core.message.Message;
import dev.miu.core.message.MessageJson;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolResult;
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

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chat over REST and SSE against the scripted LLM server: real agent turns on stored sessions. */
@ServerTest
@Timeout(60)
class ChatApiTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private final Api api;

    ChatApiTest(URI uri) {
        this.api = new Api(uri);
    }

    static Tool adder() {
        var schema = Json.object()
                .add("type", "object")
                .add(
                        "properties",
                        Json.object()
                                .add("a", Json.object().add("type", "integer"))
                                .add("b", Json.object().add("type", "integer")))
                .add("required", Json.array().add("a").add("b"))
                .build();
        return Tool.of(
                "add",
                "Adds two integers",
                schema,
                (input, ctx) -> ToolResult.ok(String.valueOf(input.getInt("a") + input.getInt("b"))));
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        StudioFixtures.mount(server, StudioFixtures.studio(scripted.settings(), StudioTools.of(adder())));
    }

    private String invokeBody(String id, String message) {
        return Json.write(
                Json.object().add("session_id", id).add("message", message).build());
    }

    @Test
    void invokeAnswersWithTheSessionsModelPromptAndHistory() {
        String id = api.post(
                        "/api/v1/sessions",
                        "{\"model\":\"anthropic:claude-test\",\"system_prompt\":\"Answer in one word.\"}")
                .json()
                .getString("id");
        scripted.enqueue(Reply.text("Paris"), Reply.text("Berlin"));

        Api.Resp first = api.post("/api/v1/chat/invoke", invokeBody(id, "Capital of France?"));
        assertEquals(200, first.status(), first.body());
        JsonObject r = first.json();
        assertEquals(id, r.getString("session_id"));
        assertEquals("Paris", r.getString("response"));
        assertEquals(2, r.getInt("message_count"));
        assertEquals(10, r.getJsonObject("usage").getInt("input_tokens"));
        assertEquals(5, r.getJsonObject("usage").getInt("output_tokens"));

        api.post("/api/v1/chat/invoke", invokeBody(id, "And Germany?"));
        JsonObject request = scripted.lastRequest().json();
        assertEquals("/v1/messages", scripted.lastRequest().path());
        assertEquals("claude-test", request.getString("model"));
        assertEquals("Answer in one word.", request.getString("system"));
        JsonArray sent = request.getJsonArray("messages");
        assertEquals(3, sent.size());
        assertEquals(
                "Capital of France?",
                sent.getJsonObject(0).getJsonArray("content").getJsonObject(0).getString("text"));
        assertEquals(
                "Paris",
                sent.getJsonObject(1).getJsonArray("content").getJsonObject(0).getString("text"));

        JsonObject session = api.get("/api/v1/sessions/" + id).json();
        assertEquals(4, session.getJsonArray("messages").size());
        assertEquals(
                "Berlin",
                MessageJson.fromJson(session.getJsonArray("messages").getJsonObject(3))
                        .text());
    }

    @Test
    void aToolCallInsideAChatIsStoredAndSentBackExactly() {
        String id = api.newSession();
        scripted.enqueue(
                Reply.toolCall("call_1", "add", "{\"a\":2,\"b\":3}"), Reply.text("The sum is 5"), Reply.text("Done"));

        Api.SseResult stream = api.stream("/api/v1/chat/stream", invokeBody(id, "What is 2 + 3?"));
        assertEquals(200, stream.status());
        assertEquals(List.of("usage", "tool_call", "tool_result", "chunk", "usage", "done"), stream.shape());
        JsonObject call = stream.events().get(stream.types().indexOf("tool_call"));
        assertEquals("call_1", call.getString("id"));
        assertEquals("add", call.getString("name"));
        assertEquals(Json.parseObject("{\"a\":2,\"b\":3}"), call.getJsonObject("input"));
        JsonObject result = stream.events().get(stream.types().indexOf("tool_result"));
        assertEquals("call_1", result.getString("id"));
        assertEquals("add", result.getString("name"));
        assertEquals("5", result.getString("output"));
        assertFalse(result.getBoolean("is_error"));
        assertEquals("The sum is 5", stream.text());
        JsonObject done = stream.events().getLast();
        assertEquals("end_turn", done.getString("stop_reason"));
        assertEquals(4, done.getInt("message_count"));
        assertEquals(22, done.getJsonObject("usage").getInt("input_tokens"));

        // the tool result went back to the model in the same turn
        JsonArray second = scripted.requests().get(1).json().getJsonArray("messages");
        assertEquals(
                "tool_result",
                second.getJsonObject(2).getJsonArray("content").getJsonObject(0).getString("type"));

        // the next turn sends the stored history exactly as it was stored
        api.post("/api/v1/chat/invoke", invokeBody(id, "Thanks"));
        JsonArray stored = api.get("/api/v1/sessions/" + id).json().getJsonArray("messages");
        assertEquals(6, stored.size());
        List<Message> history = new ArrayList<>(MessageJson.fromJson(stored).subList(0, 5));
        assertEquals(
                List.of("-", "assistant", "assistant", "assistant", "-"),
                history.stream().map(m -> m.agent() == null ? "-" : m.agent()).toList(),
                "what the agent's run added names the agent; the user's messages do not");
        List<Message> sent = history.stream().map(m -> m.withAgent(null)).toList(); // never sent to a provider
        assertEquals(MessageJson.toJson(sent), scripted.lastRequest().json().getJsonArray("messages"));
        assertEquals(1, scripted.lastRequest().json().getJsonArray("tools").size());
    }

    @Test
    void sseFramesAreDataLinesOfJson() {
        String id = api.newSession();
        scripted.enqueue(Reply.text("Hello there friend"));
        Api.SseResult stream = api.stream("/api/v1/chat/stream", invokeBody(id, "Hi"));
        assertEquals(
                "text/event-stream",
                stream.headers().firstValue("content-type").orElse("").split(";")[0]);
        assertTrue(
                stream.lines().stream().filter(l -> !l.isEmpty()).allMatch(l -> l.startsWith("data: {")),
                stream.lines().toString());
        assertEquals(List.of("chunk", "usage", "done"), stream.shape());
        assertTrue(stream.types().stream().filter("chunk"::equals).count() > 1, "streamed in pieces");
        assertEquals("Hello there friend", stream.text());
    }

    @Test
    void aStreamAskedToCloseEndsWithTheConnection() {
        String id = api.newSession();
        scripted.enqueue(Reply.text("Hello there friend"));
        String stream = api.closingExchange("POST", "/api/v1/chat/stream", invokeBody(id, "Hi"));
        assertTrue(stream.startsWith("HTTP/1.1 200 "), stream);
        assertTrue(stream.contains("\"type\":\"done\""), stream);
    }

    @Test
    void providerFailingAfterItsRetriesIs502WithItsMessage() {
        String id = api.newSession();
        scripted.enqueue(
                Reply.status(500, "Overloaded, try later"),
                Reply.status(500, "Overloaded, try later"),
                Reply.status(500, "Overloaded, try later"));
        Api.Resp r = api.post("/api/v1/chat/invoke", invokeBody(id, "Hi"));
        assertEquals(502, r.status());
        assertTrue(r.detail().contains("Overloaded, try later"), r.detail());
        assertEquals(3, scripted.requestCount(), "two retries, then give up");
        JsonArray messages = api.get("/api/v1/sessions/" + id).json().getJsonArray("messages");
        assertEquals(1, messages.size(), "the user's message stays");
    }

    @Test
    void providerErrorMidStreamIsAnErrorEventAndKeepsTheUsersMessage() {
        String id = api.newSession();
        scripted.enqueue(Reply.streamError("partial answer", "overloaded_error", "Overloaded mid-stream"));
        Api.SseResult stream = api.stream("/api/v1/chat/stream", invokeBody(id, "Tell me a story"));
        assertEquals(200, stream.status());
        assertEquals(List.of("chunk", "error"), stream.shape());
        assertTrue(stream.events().getLast().getString("detail").contains("Overloaded mid-stream"));
        JsonArray messages = api.get("/api/v1/sessions/" + id).json().getJsonArray("messages");
        assertEquals(1, messages.size());
        assertEquals(
                "Tell me a story",
                MessageJson.fromJson(messages.getJsonObject(0)).text());
    }

    @Test
    void aSecondTurnOnABusySessionIs409AndNothingInterleaves() throws Exception {
        String id = api.newSession();
        scripted.enqueue(Reply.text("one two three four five six seven eight").withChunkDelay(Duration.ofMillis(150)));
        CompletableFuture<Api.Resp> first =
                CompletableFuture.supplyAsync(() -> api.post("/api/v1/chat/invoke", invokeBody(id, "slow")));
        await("the first turn's model call")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> scripted.requestCount() > 0);
        Api.Resp second = api.post("/api/v1/chat/invoke", invokeBody(id, "fast"));
        assertEquals(409, second.status());
        assertTrue(second.detail().contains("already running"));
        Api.SseResult secondStream = api.stream("/api/v1/chat/stream", invokeBody(id, "fast"));
        assertEquals(409, secondStream.status());

        assertEquals(200, first.get().status());
        JsonArray messages = api.get("/api/v1/sessions/" + id).json().getJsonArray("messages");
        assertEquals(2, messages.size());
        assertEquals("slow", MessageJson.fromJson(messages.getJsonObject(0)).text());
        assertEquals(
                "one two three four five six seven eight",
                MessageJson.fromJson(messages.getJsonObject(1)).text());
    }

    @Test
    void aClientLeavingMidStreamCancelsTheTurnAndFreesTheSession() throws Exception {
        String id = api.newSession();
        scripted.enqueue(Reply.text("word ".repeat(100).strip()).withChunkDelay(Duration.ofMillis(200)));
        var client = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(api.base().resolve("/api/v1/chat/stream"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(invokeBody(id, "Talk forever")))
                .build();
        var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        try (var body = response.body()) {
            assertTrue(new String(body.readNBytes(20)).startsWith("data: "), "the stream started");
        } // leaves after the first event; the answer would need 20 more seconds
        scripted.enqueue(Reply.text("Back"));
        // each check is a real turn, so it runs on this thread: none is left running when the wait ends
        Api.Resp next = await("the abandoned turn ends")
                .atMost(Duration.ofSeconds(30))
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(100))
                .until(() -> api.post("/api/v1/chat/invoke", invokeBody(id, "Hello again")), r -> r.status() != 409);
        assertEquals(200, next.status(), next.body());
        JsonArray messages = api.get("/api/v1/sessions/" + id).json().getJsonArray("messages");
        assertEquals(
                "Talk forever", MessageJson.fromJson(messages.getJsonObject(0)).text());
        assertEquals(
                "Back",
                MessageJson.fromJson(messages.getJsonObject(messages.size() - 1))
                        .text());
    }

    @Test
    void badChatRequestsAreRefusedBeforeAnyModelCall() {
        String id = api.newSession();
        assertEquals(400, api.post("/api/v1/chat/invoke", "{\"session_id\": ").status());
        assertEquals(
                "Message is required",
                api.post("/api/v1/chat/invoke", "{\"session_id\":\"" + id + "\"}")
                        .detail());
        assertEquals(
                "Message is required",
                api.post("/api/v1/chat/invoke", invokeBody(id, "  ")).detail());
        assertEquals(
                "'message' must be a string",
                api.post("/api/v1/chat/invoke", "{\"session_id\":\"" + id + "\",\"message\":7}")
                        .detail());
        assertEquals(
                422, api.post("/api/v1/chat/invoke", "{\"message\":\"hi\"}").status());
        assertEquals(422, api.post("/api/v1/chat/stream", "{}").status());
        Api.Resp unknown = api.post("/api/v1/chat/stream", invokeBody("0e8e4a8f-1c2b-4b7e-9f3a-3c2d1e0f9a8b", "hi"));
        assertEquals(404, unknown.status());
        assertEquals("Session not found", unknown.detail());
        assertEquals(
                413,
                api.post("/api/v1/chat/invoke", invokeBody(id, "x".repeat(1024 * 1024 + 1)))
                        .status());
        assertEquals(0, scripted.requestCount());
        assertEquals(
                0,
                api.get("/api/v1/sessions/" + id)
                        .json()
                        .getJsonArray("messages")
                        .size());
    }
}
