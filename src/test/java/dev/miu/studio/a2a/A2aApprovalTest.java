package dev.miu.studio.a2a;

import dev.miu.agents.AgentReferences;
import dev.miu.agents.ConfiguredAgents;
import dev.miu.config.AgentDefinition;
import dev.miu.config.AgentsSettings;
import dev.miu.config.MiuConfig;
import dev.miu.config.ToolRef;
import dev.miu.core.json.Json;
import dev.miu.core.mcp.McpServers;
import dev.miu.studio.Api;
import dev.miu.studio.StudioFixtures;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An A2A task whose run pauses for a person's approval follows the session's run once the person decides in the
 * studio: it completes with the continuation's answer, pauses again on new calls, and a cancel denies what waits.
 */
@ServerTest
@Timeout(60)
class A2aApprovalTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    private static Path workspace;

    private final URI uri;
    private final Api api;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    A2aApprovalTest(URI uri) {
        this.uri = uri;
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        Path data = StudioFixtures.tempDir();
        workspace = Files.createDirectories(data.resolve("ws"));
        StudioFixtures.mount(
                server,
                StudioFixtures.studio(scripted.settings(), data, coder(scripted, data, workspace), Duration.ZERO));
    }

    /** One agent, {@code coder}, whose Write waits for a person's approval. */
    static ConfiguredAgents coder(ScriptedLlmServer llm, Path data, Path workspace) {
        MiuConfig config = StudioFixtures.config(llm.settings(), data, StudioFixtures.server())
                .withAgents(new AgentsSettings(List.of(), "coder", data, false));
        return ConfiguredAgents.of(
                List.of(new AgentDefinition.Model(
                        "coder",
                        "The coder",
                        null,
                        "anthropic:claude-test",
                        "Code.",
                        5,
                        512,
                        null,
                        List.of(new ToolRef.Code(workspace, "normal", Map.of("Write", ToolRef.Approval.ALWAYS))))),
                config,
                AgentReferences.byName(List.of(), List.of()),
                McpServers.none(),
                null,
                StudioFixtures.FAST_RETRIES);
    }

    static Reply.Turn write(String id, String file, String content) {
        return Reply.turn(
                new Reply.Text("Writing " + file),
                new Reply.ToolCall(
                        id,
                        "Write",
                        Json.write(Json.object()
                                .add("file_path", file)
                                .add("content", content)
                                .build())));
    }

    static String rpcBody(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    static JsonObject rpc(HttpClient http, URI base, String method, String params) throws Exception {
        HttpResponse<String> resp = http.send(
                HttpRequest.newBuilder(base.resolve("/a2a/coder"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("A2A-Version", "1.0")
                        .POST(HttpRequest.BodyPublishers.ofString(rpcBody(method, params)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonObject body = Json.parseObject(resp.body());
        assertFalse(body.containsKey("error"), resp.body());
        return body.getJsonObject("result");
    }

    /** Sends {@code text} and waits until the task settles; the task. */
    static JsonObject send(HttpClient http, URI base, String text) throws Exception {
        return rpc(
                        http,
                        base,
                        "SendMessage",
                        "{\"message\":{\"messageId\":\"m-" + text.hashCode()
                                + "\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"" + text + "\"}]}}")
                .getJsonObject("task");
    }

    static JsonObject getTask(HttpClient http, URI base, String id) throws Exception {
        return rpc(http, base, "GetTask", "{\"id\":\"" + id + "\"}");
    }

    static String state(JsonObject task) {
        return task.getJsonObject("status").getString("state");
    }

    static String answer(JsonObject task) {
        return task.getJsonArray("artifacts")
                .getJsonObject(0)
                .getJsonArray("parts")
                .getJsonObject(0)
                .getString("text");
    }

    /** The approval ids waiting on session {@code id}, as the studio lists them. */
    static List<String> pending(Api api, String id) {
        JsonArray pending = api.get("/api/v1/sessions/" + id).json().getJsonArray("pending_approvals");
        return pending.stream()
                .map(v -> v.asJsonObject().getString("approval_id"))
                .toList();
    }

    private int messages(String session) {
        return api.get("/api/v1/sessions/" + session)
                .json()
                .getJsonArray("messages")
                .size();
    }

    private Api.Resp decide(String session, String approval, String decision) {
        return api.post(
                "/api/v1/sessions/" + session + "/approvals/" + approval, "{\"decision\":\"" + decision + "\"}");
    }

    @Test
    void aPausedTaskCompletesWithTheAnswerOnceAPersonApprovesInTheStudio() throws Exception {
        scripted.enqueue(write("w1", "a.txt", "new text"));
        JsonObject paused = send(http, uri, "Write a.txt");
        assertEquals("TASK_STATE_INPUT_REQUIRED", state(paused));
        String context = paused.getString("contextId");
        assertTrue(
                paused.getJsonObject("status").toString().contains("/api/v1/sessions/" + context),
                "the status says where to decide: " + paused);
        String taskId = paused.getString("id");
        assertEquals("TASK_STATE_INPUT_REQUIRED", state(getTask(http, uri, taskId)));

        // a subscriber of the paused task, connected before the person decides
        Subscriber subscriber = Subscriber.open(http, uri, taskId);
        assertEquals(
                "TASK_STATE_INPUT_REQUIRED",
                subscriber.first().getJsonObject("task").getJsonObject("status").getString("state"));

        List<String> approvals = pending(api, context);
        assertEquals(1, approvals.size());
        scripted.enqueue(Reply.text("Wrote a.txt for you"));
        assertEquals(200, decide(context, approvals.getFirst(), "approve").status());

        JsonObject done = getTask(http, uri, taskId);
        assertEquals("TASK_STATE_COMPLETED", state(done));
        assertEquals("Wrote a.txt for you", answer(done));
        assertEquals("new text", Files.readString(workspace.resolve("a.txt")));

        List<JsonObject> updates = subscriber.rest();
        JsonObject artifact = updates.stream()
                .filter(u -> u.containsKey("artifactUpdate"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(updates.toString()))
                .getJsonObject("artifactUpdate");
        assertEquals(
                "Wrote a.txt for you",
                artifact.getJsonObject("artifact")
                        .getJsonArray("parts")
                        .getJsonObject(0)
                        .getString("text"));
        assertEquals(
                "TASK_STATE_COMPLETED",
                updates.getLast()
                        .getJsonObject("statusUpdate")
                        .getJsonObject("status")
                        .getString("state"),
                "the stream ends with the task completed: " + updates);
    }

    @Test
    void aRunThatPausesAgainLeavesTheTaskInputRequiredOnTheNewCalls() throws Exception {
        scripted.enqueue(write("w1", "b.txt", "one"));
        JsonObject paused = send(http, uri, "Write b and c");
        String context = paused.getString("contextId");
        String taskId = paused.getString("id");
        String first = pending(api, context).getFirst();

        scripted.enqueue(write("w2", "c.txt", "two"));
        decide(context, first, "approve");
        JsonObject again = getTask(http, uri, taskId);
        assertEquals("TASK_STATE_INPUT_REQUIRED", state(again));
        assertEquals("Writing c.txt", answer(again));
        List<String> second = pending(api, context);
        assertEquals(1, second.size());
        assertNotEquals(first, second.getFirst());

        scripted.enqueue(Reply.text("Left c.txt alone"));
        decide(context, second.getFirst(), "deny");
        JsonObject done = getTask(http, uri, taskId);
        assertEquals("TASK_STATE_COMPLETED", state(done));
        assertEquals("Left c.txt alone", answer(done));
        assertFalse(Files.exists(workspace.resolve("c.txt")));
    }

    @Test
    void cancellingAPausedTaskDeniesWhatWaitsAndEndsItCanceled() throws Exception {
        scripted.enqueue(write("w1", "d.txt", "never"));
        JsonObject paused = send(http, uri, "Write d.txt");
        String context = paused.getString("contextId");
        String taskId = paused.getString("id");
        int before = messages(context);

        scripted.enqueue(Reply.text("Fine, I will not write it"));
        JsonObject cancelled = rpc(http, uri, "CancelTask", "{\"id\":\"" + taskId + "\"}");
        assertEquals("TASK_STATE_CANCELED", state(cancelled));

        // the denial goes to the model, so the session's history stays valid, and the task stays canceled
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> messages(context) > before + 1); // the denials' results and the model's reply
        JsonObject session = api.get("/api/v1/sessions/" + context).json();
        assertTrue(session.getJsonArray("pending_approvals").isEmpty(), session.toString());
        JsonObject decision =
                session.getJsonArray("approvals_audit").getJsonObject(0).getJsonObject("decision");
        assertEquals("deny", decision.getString("decision"));
        assertEquals("cancel", decision.getJsonObject("decided_by").getString("via"));
        assertFalse(Files.exists(workspace.resolve("d.txt")));
        assertEquals("TASK_STATE_CANCELED", state(getTask(http, uri, taskId)));
        assertTrue(api.get("/api/v1/sessions/" + context).body().contains("Fine, I will not write it"));
    }

    @Test
    void aCancelInTheStudioEndsThePausedTaskCanceled() throws Exception {
        scripted.enqueue(write("w1", "f.txt", "never"));
        JsonObject paused = send(http, uri, "Write f.txt");
        String context = paused.getString("contextId");

        scripted.enqueue(Reply.text("Stopped as you asked"));
        Api.Resp cancel = api.post("/api/v1/sessions/" + context + "/cancel", null);
        assertEquals("denied", cancel.json().getString("status"), cancel.body());
        JsonObject task = getTask(http, uri, paused.getString("id"));
        assertEquals("TASK_STATE_CANCELED", state(task), "a person stopped it: " + task);
        assertEquals("Stopped as you asked", answer(task));
        assertFalse(Files.exists(workspace.resolve("f.txt")));
    }

    @Test
    void theOfficialClientPollsAPausedTaskUntilItCompletes() throws Exception {
        scripted.enqueue(write("w1", "e.txt", "from the sdk"), Reply.text("e.txt is written"));
        Map<String, JsonObject> steps = new java.util.LinkedHashMap<>();
        for (String line :
                A2aJsSdk.run("a2a-sdk-approval.cjs", List.of("http://localhost:" + uri.getPort(), "coder"))) {
            JsonObject step = Json.parseObject(line);
            steps.put(step.getString("step"), step);
        }
        assertEquals(6, steps.get("paused").getInt("state"), "TASK_STATE_INPUT_REQUIRED: " + steps);
        assertEquals(200, steps.get("decided").getInt("status"), steps.toString());
        JsonObject polled = steps.get("polled");
        assertEquals(3, polled.getInt("state"), "TASK_STATE_COMPLETED: " + steps);
        assertEquals("e.txt is written", polled.getString("answer"));
        assertEquals("from the sdk", Files.readString(workspace.resolve("e.txt")));
    }

    /** A SubscribeToTask stream: its first event read at once, the rest read until the server ends it. */
    record Subscriber(JsonObject first, CompletableFuture<List<JsonObject>> later) {

        static Subscriber open(HttpClient http, URI base, String taskId) throws Exception {
            HttpResponse<InputStream> resp = http.send(
                    HttpRequest.newBuilder(base.resolve("/a2a/coder"))
                            .header("Content-Type", "application/json")
                            .header("A2A-Version", "1.0")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    rpcBody("SubscribeToTask", "{\"id\":\"" + taskId + "\"}")))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, resp.statusCode());
            var reader = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8));
            JsonObject first = next(reader);
            return new Subscriber(first, CompletableFuture.supplyAsync(() -> {
                List<JsonObject> events = new ArrayList<>();
                try (reader) {
                    for (JsonObject e = next(reader); e != null; e = next(reader)) {
                        events.add(e);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return events;
            }));
        }

        /** The next event's JSON-RPC result; null at the end of the stream. */
        private static JsonObject next(BufferedReader reader) throws java.io.IOException {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("data:")) {
                    return Json.parseObject(line.substring(5)).getJsonObject("result");
                }
            }
            return null;
        }

        List<JsonObject> rest() throws Exception {
            return later.get(20, TimeUnit.SECONDS);
        }
    }
}
