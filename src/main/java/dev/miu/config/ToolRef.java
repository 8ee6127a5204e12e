package dev.miu.config;

import java.nio.file.Path;
import java.util.Objects;

/** One entry of an agent's {@code tools:} list, as declared. */
public sealed interface ToolRef {

    /** How the API and {@code miu agents list} name it: {@code current_time}, {@code mcp:fs/read_file}, ... */
    String label();

    /** A built-in tool by name ({@code current_time}). */
    record Builtin(String name) implements ToolRef {
        public Builtin {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String label() {
            return name;
        }
    }

    /** {@code mcp: SERVER} (all of its tools, {@code tool} null) or {@code mcp: SERVER/TOOL}. */
    record Mcp(String server, String tool) implements ToolRef {
        public Mcp {
            Objects.requireNonNull(server, "server");
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
     */
    record Code(Path workspace, String mode) implements ToolRef {
        public Code {
            Objects.requireNonNull(workspace, "workspace");
            mode = mode == null ? "normal" : mode;
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
}
