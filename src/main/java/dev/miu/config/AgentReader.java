package dev.miu.config;

import dev.miu.core.ConfigurationException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads one agent's keys (an entry of app.yaml's {@code agents:} list, or a whole agent file) into an
 * {@link AgentDefinition}, checking each field on its own: the name, types and ranges, the shape of tools, routes,
 * stages and tasks, a task graph without unknown ids or cycles. References to other agents, MCP servers,
 * collections and providers need the whole set and are checked in {@code dev.miu.agents}. Every error names the
 * file, the agent and the field: {@code agents/help.yaml: agent 'help': routes[1].regex: ...}.
 */
final class AgentReader {

    private static final List<String> TOOL_KINDS = List.of("builtin", "mcp", "rag", "code", "agent", "a2a");

    private final ConfigTree node;
    private final Path source;
    private final Path baseDir;
    private String name;

    private AgentReader(ConfigTree node, Path source, Path baseDir) {
        this.node = node;
        this.source = source;
        this.baseDir = baseDir;
    }

    /**
     * @param node        the agent's keys
     * @param defaultName the name when the agent gives none (an agent file's stem), or null when it must give one
     * @param where       how to point at the agent before its name is known ({@code agents[2]})
     * @param source      the declaring file, for messages
     * @param baseDir     what {@code instructions-file} and a code workspace are relative to
     * @param defaults    the {@code agent:} section: limits an agent does not set
     */
    static AgentDefinition read(
            ConfigTree node, String defaultName, String where, Path source, Path baseDir, AgentSettings defaults) {
        var reader = new AgentReader(node, source, baseDir);
        if (node.type() != ConfigTree.Type.OBJECT) {
            throw new ConfigurationException(
                    source + ": " + where + ": an agent must be keys and values (name:, model:, tools:, ...)");
        }
        return reader.read(defaultName, where, defaults);
    }

    private AgentDefinition read(String defaultName, String where, AgentSettings defaults) {
        String given = string("name").orElse(null);
        name = given != null ? given : defaultName;
        if (name == null) {
            throw new ConfigurationException(source + ": " + where + ": name: missing (every agent needs a name)");
        }
        if (!AgentDefinition.NAME.matcher(name).matches()) {
            throw error(
                    "name",
                    "'" + name + "' is not a valid agent name: use lower-case letters, digits and '-',"
                            + " starting with a letter, at most 64 characters");
        }
        String description = string("description").orElse("");
        String type = string("type").orElse("agent");
        AgentDefinition definition = switch (type) {
            case "agent" -> model(description, defaults);
            case "router" -> router(description);
            case "pipeline" ->
                new AgentDefinition.Pipeline(
                        name, description, source, nonEmpty("stages", "a pipeline needs at least one stage", stages()));
            case "orchestrator" -> orchestrator(description);
            default ->
                throw error(
                        "type",
                        "unknown type '" + type + "'; use agent (the default), router, pipeline" + " or orchestrator");
        };
        checkUnknownKeys(node);
        return definition;
    }

    private AgentDefinition.Model model(String description, AgentSettings defaults) {
        String model = string("model").orElse(null);
        String inline = string("instructions").orElse(null);
        String file = string("instructions-file").orElse(null);
        if (inline != null && file != null) {
            throw error("instructions-file", "give instructions or instructions-file, not both");
        }
        String instructions = file != null ? readInstructions(file) : inline;
        int maxIterations = integer("max-iterations").orElse(defaults.maxIterations());
        int maxTokens = integer("max-tokens").orElse(defaults.maxTokens());
        if (maxIterations < 1) {
            throw error("max-iterations", "must be at least 1, found " + maxIterations);
        }
        if (maxTokens < 1) {
            throw error("max-tokens", "must be at least 1, found " + maxTokens);
        }
        Double temperature = number("temperature").orElse(defaults.temperature());
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw error("temperature", "must be between 0 and 2, found " + temperature);
        }
        return new AgentDefinition.Model(
                name, description, source, model, instructions, maxIterations, maxTokens, temperature, tools());
    }

    private String readInstructions(String file) {
        Path path = resolve("instructions-file", file);
        try {
            return Files.readString(path);
        } catch (IOException | RuntimeException e) {
            throw error("instructions-file", "cannot read " + path + (Files.exists(path) ? "" : " (no such file)"));
        }
    }

    private List<ToolRef> tools() {
        ConfigTree tools = node.get("tools");
        if (!tools.exists()) {
            return List.of();
        }
        if (tools.type() != ConfigTree.Type.LIST) {
            throw error("tools", "must be a list (- current_time, - mcp: SERVER, - rag: COLLECTION, ...)");
        }
        List<ToolRef> refs = new ArrayList<>();
        for (ConfigTree item : tools.children()) {
            refs.add(tool(item, "tools[" + item.name() + "]"));
        }
        return refs;
    }

    private ToolRef tool(ConfigTree item, String field) {
        if (item.type() == ConfigTree.Type.VALUE) {
            return new ToolRef.Builtin(item.asString().orElseThrow().strip());
        }
        if (item.type() != ConfigTree.Type.OBJECT) {
            throw error(field, "must be a built-in tool's name or one of builtin:, mcp:, rag:, code:, agent:, a2a:");
        }
        List<String> kinds =
                TOOL_KINDS.stream().filter(kind -> item.get(kind).exists()).toList();
        if (kinds.size() != 1) {
            checkUnknownKeys(item); // a misspelt kind is named with what was meant
            throw error(
                    field,
                    kinds.isEmpty()
                            ? "must be a built-in tool's name or one of builtin:, mcp:, rag:, code:, agent:, a2a:"
                            : "one kind per entry, found " + String.join(" and ", kinds));
        }
        String kind = kinds.getFirst();
        ConfigTree value = item.get(kind);
        String at = field + "." + kind;
        ToolRef ref = switch (kind) {
            case "builtin" -> new ToolRef.Builtin(value(value, at), approval(item, field + ".approval"));
            case "mcp" -> {
                String spec = value(value, at);
                int slash = spec.indexOf('/');
                if (slash == 0 || slash == spec.length() - 1) {
                    throw error(at, "write SERVER or SERVER/TOOL, found '" + spec + "'");
                }
                ToolRef.Approval approval = approval(item, field + ".approval");
                yield slash < 0
                        ? new ToolRef.Mcp(spec, null, approval)
                        : new ToolRef.Mcp(spec.substring(0, slash), spec.substring(slash + 1), approval);
            }
            case "rag" -> new ToolRef.Rag(value(value, at));
            case "agent" -> new ToolRef.AgentTool(value(value, at));
            case "a2a" -> a2a(item, value, field);
            default -> code(value, at);
        };
        checkUnknownKeys(item);
        return ref;
    }

    /** {@code {a2a: URL, api-key-env: NAME, timeout: 2m}}: the URL is checked in dev.miu.agents. */
    private ToolRef.A2a a2a(ConfigTree item, ConfigTree value, String field) {
        String text = value(value, field + ".a2a");
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw error(field + ".a2a", "not a URL: " + e.getMessage());
        }
        String keyEnv = wrap(
                        field + ".api-key-env", () -> item.get("api-key-env").asString())
                .map(String::strip)
                .orElse(null);
        if (keyEnv != null && !keyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw error(field + ".api-key-env", "must name an environment variable, found '" + keyEnv + "'");
        }
        Duration timeout = wrap(field + ".timeout", () -> item.get("timeout").asString())
                .map(t -> wrap(field + ".timeout", () -> Durations.parse(field + ".timeout", t)))
                .orElse(null);
        return new ToolRef.A2a(url, keyEnv, timeout);
    }

    private ToolRef.Code code(ConfigTree code, String field) {
        if (code.type() != ConfigTree.Type.OBJECT) {
            throw error(field, "must hold workspace: DIR and optionally mode: normal|plan|auto");
        }
        String workspace = wrap(
                        field + ".workspace", () -> code.get("workspace").asString())
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .orElseThrow(() -> error(field + ".workspace", "missing (the folder the coding tools work in)"));
        String mode = wrap(field + ".mode", () -> code.get("mode").asString())
                .map(String::strip)
                .orElse(null);
        return new ToolRef.Code(
                resolve(field + ".workspace", workspace), mode, codeApprovals(code, field + ".approval"));
    }

    /** An entry's {@code approval: always|never}; null when it has none. */
    private ToolRef.Approval approval(ConfigTree item, String field) {
        return approvalValue(item.get("approval"), field);
    }

    private ToolRef.Approval approvalValue(ConfigTree value, String field) {
        return wrap(field, value::asString)
                .map(text -> {
                    ToolRef.Approval a = ToolRef.Approval.parse(text);
                    if (a == null) {
                        throw error(field, "must be always or never, found '" + text.strip() + "'");
                    }
                    return a;
                })
                .orElse(null);
    }

    /** A code entry's {@code approval: {Write: never, Bash: always}}, by tool name (checked in dev.miu.agents). */
    private Map<String, ToolRef.Approval> codeApprovals(ConfigTree code, String field) {
        ConfigTree approvals = code.get("approval");
        if (!approvals.exists()) {
            return Map.of();
        }
        if (approvals.type() != ConfigTree.Type.OBJECT) {
            throw error(field, "must be a coding tool per key: {Write: never, Bash: always}");
        }
        Map<String, ToolRef.Approval> out = new LinkedHashMap<>();
        for (ConfigTree tool : approvals.children()) {
            ToolRef.Approval a = approvalValue(tool, field + "." + tool.name());
            if (a == null) {
                throw error(field + "." + tool.name(), "must be always or never");
            }
            out.put(tool.name(), a);
        }
        return out;
    }

    private AgentDefinition.Router router(String description) {
        ConfigTree routes = node.get("routes");
        if (routes.exists() && routes.type() != ConfigTree.Type.LIST) {
            throw error("routes", "must be a list of {agent:, description:, keywords:, regex:, priority:}");
        }
        List<AgentDefinition.RouteDefinition> list = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        for (ConfigTree route : routes.children()) {
            String at = "routes[" + route.name() + "]";
            if (route.type() != ConfigTree.Type.OBJECT) {
                throw error(at, "must be keys and values (agent:, description:, keywords:, regex:, priority:)");
            }
            String agent = wrap(at + ".agent", () -> route.get("agent").asString())
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .orElseThrow(() -> error(at + ".agent", "missing (the agent this route sends to)"));
            if (!targets.add(agent)) {
                throw error(at + ".agent", "a second route to '" + agent + "'; give one route all its keywords");
            }
            String routeDescription = wrap(
                            at + ".description", () -> route.get("description").asString())
                    .orElse(null);
            List<String> keywords = wrap(
                            at + ".keywords", () -> route.get("keywords").asStringList())
                    .orElse(List.of());
            if (keywords.stream().anyMatch(String::isBlank)) {
                throw error(at + ".keywords", "a keyword is blank");
            }
            String regex = wrap(at + ".regex", () -> route.get("regex").asString())
                    .filter(s -> !s.isBlank())
                    .orElse(null);
            if (regex != null) {
                try {
                    Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    throw error(at + ".regex", "not a valid regular expression: " + e.getDescription());
                }
            }
            int priority =
                    wrap(at + ".priority", () -> route.get("priority").asInt()).orElse(0);
            checkUnknownKeys(route);
            list.add(new AgentDefinition.RouteDefinition(agent, routeDescription, keywords, regex, priority));
        }
        String classifier = string("classifier-model").orElse(null);
        String defaultAgent = string("default").orElse(null);
        if (list.isEmpty()) {
            throw error("routes", "a router needs at least one route");
        }
        return new AgentDefinition.Router(name, description, source, list, classifier, defaultAgent);
    }

    private List<String> stages() {
        List<String> stages =
                wrap("stages", () -> node.get("stages").asStringList()).orElse(List.of());
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).isBlank()) {
                throw error("stages[" + i + "]", "blank; name an agent");
            }
        }
        return stages.stream().map(String::strip).toList();
    }

    private AgentDefinition.Orchestrator orchestrator(String description) {
        ConfigTree tasks = node.get("tasks");
        if (tasks.exists() && tasks.type() != ConfigTree.Type.LIST) {
            throw error("tasks", "must be a list of {id:, agent:, prompt:, depends-on:}");
        }
        Map<String, AgentDefinition.TaskDefinition> byId = new LinkedHashMap<>();
        for (ConfigTree task : tasks.children()) {
            String at = "tasks[" + task.name() + "]";
            if (task.type() != ConfigTree.Type.OBJECT) {
                throw error(at, "must be keys and values (id:, agent:, prompt:, depends-on:)");
            }
            String id = required(task, at, "id");
            if (!id.matches("[A-Za-z0-9_.-]+")) {
                throw error(at + ".id", "'" + id + "' must be letters, digits, '_', '-' or '.'");
            }
            String agent = required(task, at, "agent");
            String prompt =
                    wrap(at + ".prompt", () -> task.get("prompt").asString()).orElse("");
            List<String> dependsOn =
                    wrap(at + ".depends-on", () -> task.get("depends-on").asStringList()).orElse(List.of()).stream()
                            .map(String::strip)
                            .toList();
            checkUnknownKeys(task);
            if (byId.put(id, new AgentDefinition.TaskDefinition(id, agent, prompt, dependsOn)) != null) {
                throw error(at + ".id", "a second task with id '" + id + "'");
            }
        }
        int maxParallel = integer("max-parallel").orElse(4);
        if (maxParallel < 1) {
            throw error("max-parallel", "must be at least 1, found " + maxParallel);
        }
        List<AgentDefinition.TaskDefinition> list =
                nonEmpty("tasks", "an orchestrator needs at least one task", List.copyOf(byId.values()));
        return new AgentDefinition.Orchestrator(name, description, source, list, maxParallel);
    }

    private String required(ConfigTree parent, String at, String key) {
        return wrap(at + "." + key, () -> parent.get(key).asString())
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .orElseThrow(() -> error(at + "." + key, "missing"));
    }

    private <T> List<T> nonEmpty(String field, String problem, List<T> list) {
        if (list.isEmpty()) {
            throw error(field, problem);
        }
        return list;
    }

    /** A path relative to the declaring file's folder (or absolute, or under {@code ~/}). */
    private Path resolve(String field, String path) {
        String expanded = path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path.strip();
        try {
            return baseDir.resolve(expanded).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw error(field, "not a valid path: '" + path + "'");
        }
    }

    private String value(ConfigTree value, String field) {
        return wrap(field, value::asString)
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .orElseThrow(() -> error(field, "missing a value"));
    }

    private Optional<String> string(String key) {
        return wrap(key, () -> node.get(key).asString()).map(String::strip).filter(s -> !s.isEmpty());
    }

    private Optional<Integer> integer(String key) {
        return wrap(key, () -> node.get(key).asInt());
    }

    private Optional<Double> number(String key) {
        return wrap(key, () -> node.get(key).asDouble());
    }

    /** A typed read whose error ({@code must be a whole number, found 'x'}) is re-said with the agent's name. */
    private <T> T wrap(String field, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (ConfigurationException e) {
            String message = e.getMessage();
            int must = message.lastIndexOf(" must be ");
            throw error(field, must < 0 ? message : message.substring(must + 1));
        }
    }

    /**
     * Keys of {@code at} (the agent, a route, a task, a tool entry) that nothing asked for: an error naming the
     * nearest key of this agent, or saying that the key belongs to another type of agent.
     */
    private void checkUnknownKeys(ConfigTree at) {
        List<ConfigTree.Unknown> unknown = at.unknownKeys();
        if (unknown.isEmpty()) {
            return;
        }
        ConfigTree.Unknown key = unknown.getFirst();
        String prefix = node.key().isEmpty() ? "" : node.key() + ".";
        List<String> ownKeys =
                at.askedKeys().stream().filter(k -> k.startsWith(prefix)).toList();
        String hint = UnknownKeys.suggestion(key, ownKeys)
                .map(s -> " (" + localQuoted(s) + ")")
                .orElse("");
        if (hint.isEmpty() && at == node && OTHER_TYPES_KEYS.contains(key.name())) {
            hint = " (not a key of "
                    + (string("type").orElse("agent").equals("agent")
                            ? "a model agent"
                            : "a " + string("type").orElse(""))
                    + ")";
        }
        throw error(
                local(key.path()),
                "unknown key" + node.line(key.path()).map(n -> " at line " + n).orElse("") + hint);
    }

    /** Keys some type of agent has, so a misplaced one is explained rather than called unknown. */
    private static final Set<String> OTHER_TYPES_KEYS = Set.of(
            "model",
            "instructions",
            "instructions-file",
            "max-iterations",
            "max-tokens",
            "temperature",
            "tools",
            "routes",
            "classifier-model",
            "default",
            "stages",
            "tasks",
            "max-parallel");

    /** Every quoted key in {@code text} as a field of this agent. */
    private String localQuoted(String text) {
        Matcher m = Pattern.compile("'([^']+)'").matcher(text);
        return m.replaceAll(r -> Matcher.quoteReplacement("'" + local(r.group(1)) + "'"));
    }

    /** A dotted path below the agent as a field: {@code routes.1.regex} is {@code routes[1].regex}. */
    private String local(String path) {
        String prefix = node.key().isEmpty() ? "" : node.key() + ".";
        String rest = path.startsWith(prefix) ? path.substring(prefix.length()) : path;
        return rest.replaceAll("\\.(\\d+)(?=\\.|$)", "[$1]");
    }

    private ConfigurationException error(String field, String problem) {
        return new ConfigurationException(source + ": agent '" + name + "': " + field + ": " + problem);
    }
}
