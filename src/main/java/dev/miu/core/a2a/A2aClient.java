package dev.miu.core.a2a;

import dev.miu.core.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Talks to remote agents over A2A 1.0's JSON-RPC binding: reads an agent card, and runs one task to its end. A task
 * is sent with {@code returnImmediately} and then read back ({@code GetTask}) until it settles, so a caller that is
 * cancelled (interrupted) or runs out of time can cancel it ({@code CancelTask}) instead of leaving it running.
 */
public final class A2aClient {

    /** The agent card's place under an agent's base URL (A2A's well-known path). */
    public static final String CARD_PATH = ".well-known/agent-card.json";

    static final Duration CARD_TIMEOUT = Duration.ofSeconds(10);
    /** The most of a response read: a card or a task larger than this is refused. */
    static final int MAX_BODY = 4 * 1024 * 1024;

    private static final Duration FIRST_POLL = Duration.ofMillis(200);
    private static final Duration MAX_POLL = Duration.ofSeconds(2);

    private final HttpClient http;
    private final AtomicLong ids = new AtomicLong();

    public A2aClient() {
        this.http = HttpClient.newBuilder()
                .connectTimeout(CARD_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Where the card of the agent at {@code url} is: {@code url} itself when it names a {@code .json} file. */
    public static URI cardUrl(URI url) {
        String path = url.getPath() == null ? "" : url.getPath();
        if (path.endsWith(".json")) {
            return url;
        }
        return url.resolve((path.endsWith("/") ? path : path + "/") + CARD_PATH);
    }

    /**
     * Reads the card of the agent at {@code url} (its base URL or its card's URL).
     *
     * @param apiKey sent as a bearer token, or null
     * @throws A2aException it cannot be read, is not a card, or offers no JSON-RPC 1.0 interface
     */
    public RemoteAgent card(URI url, String apiKey) throws InterruptedException {
        URI at = cardUrl(url);
        var request = HttpRequest.newBuilder(at)
                .timeout(CARD_TIMEOUT)
                .header("Accept", "application/json")
                .header("A2A-Version", "1.0");
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        Body body = exchange(request.GET().build(), "the agent card at " + at);
        if (body.status() != 200) {
            throw new A2aException("Could not read the agent card at " + at + ": HTTP " + body.status());
        }
        JsonObject card = object(body, "the agent card at " + at);
        String name = card.getString("name", "").strip();
        if (name.isEmpty()) {
            throw new A2aException("The agent card at " + at + " has no name");
        }
        return new RemoteAgent(at, name, describe(card), endpoint(card, at));
    }

    private static String describe(JsonObject card) {
        String description = card.getString("description", "").strip();
        List<String> skills = new ArrayList<>();
        if (card.get("skills") instanceof JsonArray array) {
            for (JsonValue v : array) {
                if (v instanceof JsonObject skill && skills.size() < 10) {
                    skills.add(skill.getString("name", skill.getString("id", "")));
                }
            }
        }
        skills.removeIf(String::isBlank);
        return skills.isEmpty() ? description : (description + " Skills: " + String.join(", ", skills) + ".").strip();
    }

    /** The card's JSON-RPC 1.0 URL, resolved against the card's own. */
    private static URI endpoint(JsonObject card, URI at) {
        List<String> offered = new ArrayList<>();
        if (card.get("supportedInterfaces") instanceof JsonArray interfaces) {
            for (JsonValue v : interfaces) {
                if (v instanceof JsonObject i) {
                    String binding = i.getString("protocolBinding", "");
                    String version = i.getString("protocolVersion", "");
                    offered.add(binding + " " + version);
                    if (binding.equalsIgnoreCase("JSONRPC") && (version.equals("1.0") || version.startsWith("1."))) {
                        try {
                            return at.resolve(i.getString("url", ""));
                        } catch (IllegalArgumentException e) {
                            throw new A2aException("The agent card at " + at + " has a bad URL: " + e.getMessage());
                        }
                    }
                }
            }
        }
        throw new A2aException("The agent at " + at + " offers no A2A 1.0 JSON-RPC interface"
                + (offered.isEmpty() ? " (its card lists no supportedInterfaces)" : " (it offers " + offered + ")"));
    }

    /**
     * Sends {@code text} to {@code agent} as a new task and waits for it to settle, at most {@code timeout}.
     *
     * @return the task's answer: the text of its artifacts (or of the agent's reply message)
     * @throws A2aException the agent cannot be reached, answers with an error, or the task fails, is cancelled,
     *                      needs input, or outlives {@code timeout} (it is then cancelled)
     * @throws InterruptedException the caller was cancelled; the task is cancelled too
     */
    public String ask(RemoteAgent agent, String text, String apiKey, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        var message = Json.object()
                .add("messageId", UUID.randomUUID().toString())
                .add("role", "ROLE_USER")
                .add("parts", Json.array().add(Json.object().add("text", text)));
        JsonObject params = Json.object()
                .add("message", message)
                .add("configuration", Json.object().add("returnImmediately", true))
                .build();
        JsonObject sent = call(agent, "SendMessage", params, apiKey, timeout);
        if (sent.get("message") instanceof JsonObject reply) {
            return answer(agent, text(reply.get("parts")));
        }
        if (!(sent.get("task") instanceof JsonObject task)) {
            throw new A2aException(
                    "Agent '" + agent.name() + "' answered SendMessage with neither a task nor a message");
        }
        String id = task.getString("id", "");
        Duration poll = FIRST_POLL;
        try {
            while (!settled(state(task))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    cancelQuietly(agent, id, apiKey);
                    throw new A2aException("Agent '" + agent.name() + "' did not finish within " + timeout
                            + "; its task was cancelled");
                }
                Thread.sleep(Math.min(poll.toMillis(), Duration.ofNanos(left).toMillis() + 1));
                poll = poll.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : poll.multipliedBy(2);
                task = call(agent, "GetTask", Json.object().add("id", id).build(), apiKey, CARD_TIMEOUT);
            }
        } catch (InterruptedException e) {
            cancelQuietly(agent, id, apiKey);
            throw e;
        }
        return outcome(agent, task);
    }

    private static String outcome(RemoteAgent agent, JsonObject task) {
        String state = state(task);
        String said = task.get("status") instanceof JsonObject status && status.get("message") instanceof JsonObject m
                ? text(m.get("parts"))
                : "";
        String who = "Agent '" + agent.name() + "'";
        return switch (state) {
            case "COMPLETED" -> {
                StringBuilder out = new StringBuilder();
                if (task.get("artifacts") instanceof JsonArray artifacts) {
                    for (JsonValue a : artifacts) {
                        if (a instanceof JsonObject artifact) {
                            out.append(out.isEmpty() ? "" : "\n\n").append(text(artifact.get("parts")));
                        }
                    }
                }
                yield answer(agent, out.isEmpty() ? said : out.toString());
            }
            case "CANCELED" -> throw new A2aException(who + "'s task was cancelled");
            case "INPUT_REQUIRED", "AUTH_REQUIRED" ->
                throw new A2aException(who + " needs more input: " + (said.isBlank() ? state : said));
            default -> throw new A2aException(who + " failed (" + state + ")" + (said.isBlank() ? "" : ": " + said));
        };
    }

    private static String answer(RemoteAgent agent, String text) {
        if (text.isBlank()) {
            throw new A2aException("Agent '" + agent.name() + "' finished without an answer");
        }
        return text;
    }

    /** A task's state without 1.0's prefix ({@code COMPLETED}); 0.3's lower-case names are read too. */
    private static String state(JsonObject task) {
        String state = task.get("status") instanceof JsonObject status ? status.getString("state", "") : "";
        return state.toUpperCase(Locale.ROOT).replace("TASK_STATE_", "").replace('-', '_');
    }

    private static boolean settled(String state) {
        return !(state.equals("SUBMITTED")
                || state.equals("WORKING")
                || state.isEmpty()
                || state.equals("UNSPECIFIED"));
    }

    /** The text of a parts array (text parts; data parts as JSON), joined. */
    private static String text(JsonValue parts) {
        StringBuilder out = new StringBuilder();
        if (parts instanceof JsonArray array) {
            for (JsonValue v : array) {
                if (v instanceof JsonObject part) {
                    if (part.get("text") instanceof JsonString s) {
                        out.append(s.getString());
                    } else if (part.containsKey("data")) {
                        out.append(Json.write(part.get("data")));
                    }
                }
            }
        }
        return out.toString();
    }

    /** Asks the agent to cancel task {@code id}, on another thread (this one may be interrupted); errors ignored. */
    private void cancelQuietly(RemoteAgent agent, String id, String apiKey) {
        if (id.isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("miu-a2a-cancel").start(() -> {
            try {
                call(agent, "CancelTask", Json.object().add("id", id).build(), apiKey, CARD_TIMEOUT);
            } catch (A2aException | InterruptedException e) {
                // best effort: the task may have ended, or the agent be gone
            }
        });
    }

    /** One JSON-RPC call: its result object, or an A2aException naming the agent and the error. */
    private JsonObject call(RemoteAgent agent, String method, JsonObject params, String apiKey, Duration timeout)
            throws InterruptedException {
        String id = Long.toString(ids.incrementAndGet());
        String body = Json.write(Json.object()
                .add("jsonrpc", "2.0")
                .add("id", id)
                .add("method", method)
                .add("params", params)
                .build());
        var request = HttpRequest.newBuilder(agent.endpoint())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("A2A-Version", "1.0");
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        String what = "agent '" + agent.name() + "' (" + method + " at " + agent.endpoint() + ")";
        Body response =
                exchange(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(), what);
        JsonObject answer;
        try {
            answer = object(response, what);
        } catch (A2aException e) {
            if (response.status() != 200) {
                throw new A2aException("Could not reach " + what + ": HTTP " + response.status());
            }
            throw e;
        }
        if (answer.get("error") instanceof JsonObject error) {
            throw new A2aException("The " + what + " answered with error " + error.getInt("code", 0) + ": "
                    + error.getString("message", "(no message)"));
        }
        if (response.status() != 200) {
            throw new A2aException("Could not reach " + what + ": HTTP " + response.status());
        }
        if (!(answer.get("result") instanceof JsonObject result)) {
            throw new A2aException("The " + what + " answered without a result object");
        }
        return result;
    }

    private record Body(int status, byte[] bytes) {}

    private Body exchange(HttpRequest request, String what) throws InterruptedException {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] bytes = in.readNBytes(MAX_BODY + 1);
                if (bytes.length > MAX_BODY) {
                    throw new A2aException("The answer of " + what + " is larger than " + MAX_BODY + " bytes");
                }
                return new Body(response.statusCode(), bytes);
            }
        } catch (HttpTimeoutException e) {
            throw new A2aException(
                    "No answer from " + what + " within " + request.timeout().orElse(CARD_TIMEOUT));
        } catch (IOException e) {
            // a refused connection has no message: its type says what happened
            String why = e.getMessage() == null
                    ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            throw new A2aException("Could not reach " + what + " (" + why + ")", e);
        }
    }

    private static JsonObject object(Body body, String what) {
        try {
            if (Json.parse(new String(body.bytes(), StandardCharsets.UTF_8)) instanceof JsonObject o) {
                return o;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new A2aException("The answer of " + what + " is not a JSON object");
    }
}
