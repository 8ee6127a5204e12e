package dev.miu.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** One entry of an agent's {@code tools:} list, as declared. */
public sealed interface ToolRef {

    /** How the API and {@code miu agents list} name it: {@code current_time}, {@code mcp:fs/read_file}, ... */
    String label();

    /** What an entry's {@code approval:} says: its calls wait for a person ({@code always}) or run unasked. */
    enum Approval {
        ALWAYS,
        NEVER;

        /** {@code always} or {@code never}; anything else is null. */
        public static Approval parse(String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "always" -> ALWAYS;
                case "never" -> NEVER;
                default -> null;
            };
        }
    }

    /**
     * A built-in tool by name ({@code current_time}, or {@code {builtin: NAME, approval: ...}}).
     *
     * @param approval what the entry says, null when it says nothing
     */
    record Builtin(String name, Approval approval) implements ToolRef {
        public Builtin {
            Objects.requireNonNull(name, "name");
        }

        public Builtin(String name) {
            this(name, null);
        }

        @Override
        public String label() {
            return name;
        }
    }

    /**
     * {@code mcp: SERVER} (all of its tools, {@code tool} null) or {@code mcp: SERVER/TOOL}.
     *
     * @param approval what the entry says for its tools, null when it says nothing
     */
    record Mcp(String server, String tool, Approval approval) implements ToolRef {
        public Mcp {
            Objects.requireNonNull(server, "server");
        }

        public Mcp(String server, String tool) {
            this(server, tool, null);
        }

        @Override
        public String label() {
            return "mcp:" + server + (tool == null ? "" : "/" + tool);
        }
    }

    /** {@code rag: COLLECTION}: the {@code search_knowledge} tool over that collection. */
    record Rag(String collection) implements ToolRef {
        public Rag {
            Objects.requireNonNull(collection, "collection");
        }

        @Override
        public String label() {
            return "rag:" + collection;
        }
    }

    /**
     * {@code code: {workspace: DIR, mode: normal|plan|auto}}: the coding tools confined to {@code workspace}.
     *
     * @param workspace absolute, resolved against the declaring file's directory
     * @param mode      {@code normal}, {@code plan} or {@code auto}
     * @param approvals what {@code approval: {Write: never, Bash: always}} says, by coding tool name (only the tools
     *                  it names)
     */
    record Code(Path workspace, String mode, Map<String, Approval> approvals) implements ToolRef {
        public Code {
            Objects.requireNonNull(workspace, "workspace");
            mode = mode == null ? "normal" : mode;
            approvals = approvals == null ? Map.of() : Map.copyOf(approvals);
        }

        public Code(Path workspace, String mode) {
            this(workspace, mode, Map.of());
        }

        @Override
        public String label() {
            return "code:" + workspace;
        }
    }

    /** {@code agent: NAME}: another declared agent offered as a tool that runs it on a task. */
    record AgentTool(String agent) implements ToolRef {
        public AgentTool {
            Objects.requireNonNull(agent, "agent");
        }

        @Override
        public String label() {
            return "agent:" + agent;
        }
    }

    /**
     * {@code a2a: URL}: a remote A2A agent (its base URL or its card's URL) offered as a tool that sends it a task.
     *
     * @param apiKeyEnv the environment variable holding the bearer key it wants ({@code api-key-env:}), or null
     * @param timeout   how long one call may take ({@code timeout:}), null for {@link #DEFAULT_A2A_TIMEOUT}
     */
    record A2a(URI url, String apiKeyEnv, Duration timeout) implements ToolRef {
        public A2a {
            Objects.requireNonNull(url, "url");
            timeout = timeout == null ? DEFAULT_A2A_TIMEOUT : timeout;
        }

        public A2a(URI url) {
            this(url, null, null);
        }

        @Override
        public String label() {
            return "a2a:" + url;
        }
    }

    /** How long a call to a remote A2A agent may take when its entry does not say. */
    Duration DEFAULT_A2A_TIMEOUT = Duration.ofMinutes(5);
}
