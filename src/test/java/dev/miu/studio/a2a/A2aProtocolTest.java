package dev.miu.studio.a2a;

import dev.miu.core.json.Json;
import dev.miu.studio.StudioFixtures;
import dev.miu.studio.TestCatalog;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The A2A binding on the wire, as a hand-written client sees it: the card's fields, a 0.3 client's methods and
 * shapes, the SSE framing, and each JSON-RPC error code the specification gives.
 */
@ServerTest
@Timeout(60)
class A2aProtocolTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private final URI uri;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    A2aProtocolTest(URI uri) {
        this.uri = uri;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        var catalog = new TestCatalog(
                scripted.settings(),
                "helper",
                StudioTools.none(),
                TestCatalog.model("helper", "Helps with anything", null, "You help."),
                TestCatalog.model("writer", "Writes", null, "You write."));
        StudioFixtures.mount(server, StudioFixtures.studio(scripted.settings(), StudioFixtures.tempDir(), catalog));
    }

    private HttpResponse<String> post(String path, String version, String body) throws Exception {
        var request = HttpRequest.newBuilder(uri.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (version != null) {
            request.header("A2A-Version", version);
        }
        return http.send(
                request.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject rpc(String version, String method, String params) throws Exception {
        HttpResponse<String> resp = post(
                "/a2a/helper",
                version,
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\",\"params\":" + params + "}");
        return Json.parseObject(resp.body());
    }

    private static int code(JsonObject response) {
        return response.getJsonObject("error").getInt("code");
    }

    private static String message(String role, String parts, String extra) {
        return "{\"message\":{\"messageId\":\"m1\",\"role\":\"" + role + "\",\"parts\":" + parts + extra + "}}";
    }

    @Test
    void theCardDescribesTheAgentAndWhereToReachIt() throws Exception {
        HttpResponse<String> resp = http.send(
                HttpRequest.newBuilder(uri.resolve("/a2a/helper/.well-known/agent-card.json"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resp.statusCode());
        JsonObject card = Json.parseObject(resp.body());
        assertEquals("helper", card.getString("name"));
        assertEquals("Helps with anything", card.getString("description"));
        String endpoint = "http://localhost:" + uri.getPort() + "/a2a/helper";
        JsonObject first = card.getJsonArray("supportedInterfaces").getJsonObject(0);
        assertEquals(endpoint, first.getString("url"));
        assertEquals("JSONRPC", first.getString("protocolBinding"));
        assertEquals("1.0", first.getString("protocolVersion"));
        assertEquals(endpoint, card.getString("url"), "0.3 clients read the top-level url");
        assertTrue(card.getJsonObject("capabilities").getBoolean("streaming"));
        assertFalse(card.getJsonObject("capabilities").getBoolean("pushNotifications"));
        assertEquals("helper", card.getJsonArray("skills").getJsonObject(0).getString("id"));
        assertEquals("tool:add", card.getJsonArray("skills").getJsonObject(1).getString("id"));
        assertFalse(card.containsKey("securitySchemes"), "no key, no scheme");

        HttpResponse<String> unknown = http.send(
                HttpRequest.newBuilder(uri.resolve("/a2a/nobody/.well-known/agent-card.json"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("helper, writer"), unknown.body());
    }

    @Test
    void aZeroThreeClientGetsZeroThreeShapes() throws Exception {
        scripted.enqueue(Reply.text("Old but gold"));
        JsonObject sent = rpc(null, "message/send", message("user", "[{\"kind\":\"text\",\"text\":\"Hi\"}]", ""));
        JsonObject task = sent.getJsonObject("result");
        assertEquals(7, sent.getInt("id"));
        assertEquals("task", task.getString("kind"));
        assertEquals("completed", task.getJsonObject("status").getString("state"));
        JsonObject part = task.getJsonArray("artifacts")
                .getJsonObject(0)
                .getJsonArray("parts")
                .getJsonObject(0);
        assertEquals("text", part.getString("kind"));
        assertEquals("Old but gold", part.getString("text"));

        JsonObject got = rpc("0.3", "tasks/get", "{\"id\":\"" + task.getString("id") + "\",\"historyLength\":0}");
        assertEquals(
                "completed", got.getJsonObject("result").getJsonObject("status").getString("state"));
        assertFalse(got.getJsonObject("result").containsKey("history"), "historyLength 0 leaves it out");
    }

    @Test
    void theStreamIsJsonRpcResponsesInSseDataLines() throws Exception {
        scripted.enqueue(Reply.text("a b"));
        HttpResponse<String> resp = post(
                "/a2a/helper",
                "1.0",
                "{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"method\":\"SendStreamingMessage\",\"params\":"
                        + message("ROLE_USER", "[{\"text\":\"Go\"}]", "") + "}");
        assertEquals(200, resp.statusCode());
        assertTrue(resp.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<JsonObject> events = resp.body()
                .lines()
                .filter(l -> l.startsWith("data:"))
                .map(l -> Json.parseObject(l.substring(5)))
                .toList();
        assertEquals("s", events.getFirst().getString("id"));
        JsonObject first = events.getFirst().getJsonObject("result");
        assertEquals(
                "TASK_STATE_WORKING",
                first.getJsonObject("task").getJsonObject("status").getString("state"));
        JsonObject last = events.getLast().getJsonObject("result").getJsonObject("statusUpdate");
        assertEquals("TASK_STATE_COMPLETED", last.getJsonObject("status").getString("state"));
        StringBuilder text = new StringBuilder();
        for (JsonObject e : events) {
            JsonObject update = e.getJsonObject("result").getJsonObject("artifactUpdate");
            if (update != null) {
                text.append(update.getJsonObject("artifact")
                        .getJsonArray("parts")
                        .getJsonObject(0)
                        .getString("text"));
            }
        }
        assertEquals("a b", text.toString());
    }

    @Test
    void aContextIsASessionOfOneAgent() throws Exception {
        scripted.enqueue(Reply.text("First"));
        JsonObject task = rpc("1.0", "SendMessage", message("ROLE_USER", "[{\"text\":\"One\"}]", ""))
                .getJsonObject("result")
                .getJsonObject("task");
        String context = task.getString("contextId");

        HttpResponse<String> other = post(
                "/a2a/writer",
                "1.0",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"SendMessage\",\"params\":"
                        + message("ROLE_USER", "[{\"text\":\"Two\"}]", ",\"contextId\":\"" + context + "\"") + "}");
        JsonObject refused = Json.parseObject(other.body());
        assertEquals(-32602, code(refused));
        assertTrue(refused.getJsonObject("error").getString("message").contains("agent 'helper'"), other.body());

        JsonObject unknown =
                rpc("1.0", "SendMessage", message("ROLE_USER", "[{\"text\":\"x\"}]", ",\"contextId\":\"nope\""));
        assertEquals(-32602, code(unknown));

        JsonObject followUp = rpc(
                "1.0",
                "SendMessage",
                message("ROLE_USER", "[{\"text\":\"x\"}]", ",\"taskId\":\"" + task.getString("id") + "\""));
        assertEquals(-32004, code(followUp), "a completed task takes no more messages");
    }

    @Test
    void errorsCarryTheSpecificationsCodes() throws Exception {
        assertEquals(
                -32700,
                code(Json.parseObject(post("/a2a/helper", "1.0", "{not json").body())));
        assertEquals(
                -32600,
                code(Json.parseObject(post("/a2a/helper", "1.0", "{\"id\":1,\"method\":\"GetTask\"}")
                        .body())));
        assertEquals(-32601, code(rpc("1.0", "message/send", "{}")), "a 0.3 method under 1.0");
        assertEquals(-32601, code(rpc("1.0", "Nonsense", "{}")));
        assertEquals(-32009, code(rpc("0.5", "SendMessage", "{}")));
        assertEquals(-32602, code(rpc("1.0", "SendMessage", "{\"message\":{\"role\":\"ROLE_USER\",\"parts\":[]}}")));
        assertEquals(
                -32005, code(rpc("1.0", "SendMessage", message("ROLE_USER", "[{\"url\":\"http://x/a.png\"}]", ""))));
        assertEquals(-32001, code(rpc("1.0", "GetTask", "{\"id\":\"missing\"}")));
        assertEquals(-32001, code(rpc("1.0", "CancelTask", "{\"id\":\"missing\"}")));
        assertEquals(
                -32003,
                code(rpc("1.0", "CreateTaskPushNotificationConfig", "{\"taskId\":\"t\",\"url\":\"http://x\"}")));
        assertEquals(-32004, code(rpc("1.0", "GetExtendedAgentCard", "{}")));

        HttpResponse<String> nobody =
                post("/a2a/nobody", "1.0", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\"}");
        assertEquals(404, nobody.statusCode());
        HttpResponse<String> big = post("/a2a/helper", "1.0", "{\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}");
        assertEquals(413, big.statusCode());
        assertEquals(-32600, code(Json.parseObject(big.body())));
    }
}
