package dev.miu.studio;

import dev.miu.core.json.Json;
import dev.miu.core.message.MessageJson;
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
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Turns on a session's agent over each transport: a composite's sub-agent is framed by agent_start and agent_end
 * and its events carry {@code agent}, its stored messages keep who wrote them, and a plain agent's events are as
 * they always were.
 */
@ServerTest
@Timeout(60)
class AgentChatTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    /** What a turn on the helpdesk router looks like when it sends a question to the writer, who uses a tool. */
    private static final List<String> ROUTED_TURN =
            List.of("agent_start", "usage", "tool_call", "tool_result", "chunk", "usage", "agent_end", "done");

    private final URI uri;
    private final Api api;

    AgentChatTest(URI uri) {
        this.uri = uri;
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        var catalog = new TestCatalog(
                scripted.settings(),
                "assistant",
                StudioTools.of(ChatApiTest.adder()),
                TestCatalog.model("assistant", "Answers anything", null, "You are a test assistant."),
                TestCatalog.model("writer", "Writes poems", "anthropic:claude-writer", "Write well."),
                TestCatalog.router("helpdesk", "assistant", "writer", "poem"));
        StudioFixtures.mount(server, StudioFixtures.studio(scripted.settings(), StudioFixtures.tempDir(), catalog));
    }

    private String session(String agent) {
        return api.post("/api/v1/sessions", "{\"agent\":\"" + agent + "\"}")
                .json()
                .getString("id");
    }

    private static String body(String id, String message) {
        return Json.write(
                Json.object().add("session_id", id).add("message", message).build());
    }

    private void enqueueWriterWithATool() {
        scripted.enqueue(Reply.toolCall("call_1", "add", "{\"a\":2,\"b\":3}"), Reply.text("Five lines of verse"));
    }

    private static List<String> shape(List<JsonObject> events) {
        List<String> out = new ArrayList<>();
        for (JsonObject e : events) {
            String t = e.getString("type");
            if (!(t.equals("chunk") && !out.isEmpty() && out.getLast().equals("chunk"))) {
                out.add(t);
            }
        }
        return out;
    }

    /** Every event between agent_start and agent_end is the writer's; the frame and done carry what they should. */
    private static void assertRoutedToTheWriter(List<JsonObject> events) {
        assertEquals(ROUTED_TURN, shape(events), events.toString());
        assertEquals("writer", events.getFirst().getString("agent"));
        JsonObject end = events.get(events.size() - 2);
        assertEquals("writer", end.getString("agent"));
        assertEquals("end_turn", end.getString("stop_reason"));
        for (JsonObject e : events.subList(1, events.size() - 2)) {
            assertEquals("writer", e.getString("agent"), e.toString());
        }
        assertFalse(events.getLast().containsKey("agent"), "done is the turn's, not a sub-agent's");
    }

    @Test
    void invokeRunsTheRoutersChoiceAndStoresWhoAnswered() {
        String id = session("helpdesk");
        scripted.enqueue(Reply.text("Roses are red"));
        Api.Resp first = api.post("/api/v1/chat/invoke", body(id, "Write a poem"));
        assertEquals(200, first.status(), first.body());
        assertEquals("Roses are red", first.json().getString("response"));
        assertEquals("helpdesk", first.json().getString("agent"));
        JsonObject request = scripted.lastRequest().json();
        assertEquals("claude-writer", request.getString("model"), "the writer's own model");
        assertEquals("Write well.", request.getString("system"));

        scripted.enqueue(Reply.text("Noon"));
        api.post("/api/v1/chat/invoke", body(id, "What time is it?"));
        assertEquals("You are a test assistant.", scripted.lastRequest().json().getString("system"));
        assertFalse(
                scripted.lastRequest().body().contains("\"agent\""),
                "who wrote a stored message is never sent to a provider");

        JsonArray messages = api.get("/api/v1/sessions/" + id).json().getJsonArray("messages");
        assertEquals(4, messages.size());
        assertFalse(messages.getJsonObject(0).containsKey("agent"), "the user's message");
        assertEquals("writer", messages.getJsonObject(1).getString("agent"));
        assertEquals(
                "Roses are red", MessageJson.fromJson(messages.getJsonObject(1)).text());
        assertEquals("assistant", messages.getJsonObject(3).getString("agent"));
    }

    @Test
    void theStreamFramesTheSubAgentAndLabelsItsEvents() {
        String id = session("helpdesk");
        enqueueWriterWithATool();
        Api.SseResult stream = api.stream("/api/v1/chat/stream", body(id, "A poem about addition, please"));
        assertEquals(200, stream.status());
        assertRoutedToTheWriter(stream.events());
        assertEquals("Five lines of verse", stream.text());

        JsonArray messages = api.get("/api/v1/sessions/" + id).json().getJsonArray("messages");
        assertEquals(4, messages.size(), "question, tool call, tool result, answer");
        for (int i = 1; i < 4; i++) {
            assertEquals("writer", messages.getJsonObject(i).getString("agent"), "message " + i);
        }
    }

    @Test
    void theWebSocketSendsTheSameEvents() {
        String id = session("helpdesk");
        enqueueWriterWithATool();
        try (WsClient ws = WsClient.connect(uri, "/api/v1/chat/ws/" + id)) {
            ws.send("{\"message\":\"Write me a poem\"}");
            List<JsonObject> events = new ArrayList<>();
            do {
                events.add(ws.next());
            } while (!events.getLast().getString("type").equals("done"));
            assertRoutedToTheWriter(events);
        }
    }

    @Test
    void aPlainAgentsEventsCarryNoAgentButItsStoredMessagesNameIt() {
        String id = api.newSession();
        scripted.enqueue(Reply.toolCall("call_2", "add", "{\"a\":1,\"b\":1}"), Reply.text("Two"));
        Api.SseResult stream = api.stream("/api/v1/chat/stream", body(id, "1 + 1?"));
        assertEquals(List.of("usage", "tool_call", "tool_result", "chunk", "usage", "done"), stream.shape());
        assertTrue(
                stream.events().stream().noneMatch(e -> e.containsKey("agent")),
                stream.events().toString());

        scripted.enqueue(Reply.text("Sure"));
        Api.Resp invoked = api.post("/api/v1/chat/invoke", body(id, "Thanks"));
        assertEquals("assistant", invoked.json().getString("agent"), "invoke names the session's agent");
        JsonArray messages = api.get("/api/v1/sessions/" + id).json().getJsonArray("messages");
        for (JsonObject m : messages.getValuesAs(JsonObject.class)) {
            boolean users = m.getString("role").equals("user") && !m.toString().contains("tool_result");
            assertEquals(users ? "-" : "assistant", m.getString("agent", "-"), "who wrote " + m);
        }
    }
}
