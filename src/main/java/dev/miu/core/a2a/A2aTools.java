package dev.miu.core.a2a;

import dev.miu.core.json.Json;
import dev.miu.core.pattern.AgentTool;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolResult;
import jakarta.json.JsonObject;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remote A2A agents offered to a model as tools, as a declared agent is by {@link AgentTool}: the model sends a
 * task, the remote agent runs it as a new task (it does not see the caller's conversation), and its answer is the
 * tool's result; a failure is an error result the model reads. Cards are read once and kept for
 * {@link #FRESH}; a card that cannot be read is tried again after {@link #RETRY_AFTER} (and on each call), and
 * meanwhile the tool is named after the URL.
 */
public final class A2aTools {

    static final Duration FRESH = Duration.ofMinutes(5);
    static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    static final JsonObject INPUT_SCHEMA = Json.object()
            .add("type", "object")
            .add(
                    "properties",
                    Json.object()
                            .add(
                                    "task",
                                    Json.object()
                                            .add("type", "string")
                                            .add(
                                                    "description",
                                                    "What the remote agent should do, with everything it needs to"
                                                            + " know: it does not see this conversation")))
            .add("required", Json.array().add("task"))
            .build();

    private final A2aClient client;
    private final Map<URI, Card> cards = new ConcurrentHashMap<>();

    public A2aTools(A2aClient client) {
        this.client = client;
    }

    /** A card as last read: the agent, or why it could not be read. */
    private record Card(RemoteAgent agent, String failure, long readAt) {
        boolean fresh() {
            long age = System.nanoTime() - readAt;
            return age < (agent != null ? FRESH : RETRY_AFTER).toNanos();
        }
    }

    /**
     * The tool for the agent at {@code url}, named and described after its card.
     *
     * @param apiKey  sent as a bearer token, or null
     * @param timeout how long one call may take before its task is cancelled
     */
    public Tool tool(URI url, String apiKey, Duration timeout) {
        Card card = card(url, apiKey);
        String name = card.agent() != null ? card.agent().name() : fallbackName(url);
        String description = card.agent() != null && !card.agent().description().isBlank()
                ? card.agent().description()
                : "Asks the remote A2A agent at " + url + " to do a task and returns its answer."
                        + (card.failure() == null ? "" : " (Its card could not be read: " + card.failure() + ")");
        return Tool.of(
                AgentTool.toolName(name),
                description,
                INPUT_SCHEMA,
                (input, context) -> call(url, apiKey, timeout, input));
    }

    private ToolResult call(URI url, String apiKey, Duration timeout, JsonObject input) {
        String task = input.getString("task", "").strip();
        if (task.isEmpty()) {
            return ToolResult.error("The task for the remote agent at " + url + " is empty: say what it should do");
        }
        Card card = card(url, apiKey);
        if (card.agent() == null) {
            return ToolResult.error(card.failure());
        }
        try {
            return ToolResult.ok(client.ask(card.agent(), task, apiKey, timeout));
        } catch (A2aException e) {
            return ToolResult.error(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the calling run stops too
            return ToolResult.error("The call to agent '" + card.agent().name() + "' was cancelled");
        }
    }

    private Card card(URI url, String apiKey) {
        Card known = cards.get(url);
        if (known != null && known.fresh()) {
            return known;
        }
        Card read;
        try {
            read = new Card(client.card(url, apiKey), null, System.nanoTime());
        } catch (A2aException e) {
            read = new Card(null, e.getMessage(), System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Card(null, "Reading the agent card at " + url + " was interrupted", System.nanoTime());
        }
        cards.put(url, read);
        return read;
    }

    /** The name of the agent at {@code url} when its card is unknown: its path's last part, or its host. */
    static String fallbackName(URI url) {
        String path = url.getPath() == null ? "" : url.getPath();
        path = path.replaceAll("/?\\.well-known/agent-card\\.json$", "").replaceAll("/+$", "");
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() ? String.valueOf(url.getHost()) : last;
    }
}
