package dev.miu.core.tool;

import dev.miu.core.message.ContentBlock;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tools an agent may call, by name, in registration order. {@link #execute} never throws for a model's
 * mistake: an unknown tool, arguments that fail the schema, or a tool that throws all become error results.
 */
public final class ToolRegistry {

    private final Map<String, Tool> byName = new ConcurrentHashMap<>();
    private final List<Tool> ordered = new CopyOnWriteArrayList<>();

    public ToolRegistry() {}

    public static ToolRegistry of(Tool... tools) {
        var registry = new ToolRegistry();
        for (Tool t : tools) {
            registry.register(t);
        }
        return registry;
    }

    public static ToolRegistry of(Collection<Tool> tools) {
        var registry = new ToolRegistry();
        tools.forEach(registry::register);
        return registry;
    }

    /** Adds a tool; a second tool with the same name is a programming error. */
    public ToolRegistry register(Tool tool) {
        if (byName.putIfAbsent(tool.name(), tool) != null) {
            throw new IllegalArgumentException("A tool named '" + tool.name() + "' is already registered");
        }
        ordered.add(tool);
        return this;
    }

    /** Removes a tool, e.g. when an MCP server's tool list changes. */
    public boolean unregister(String name) {
        Tool removed = byName.remove(name);
        return removed != null && ordered.remove(removed);
    }

    public Optional<Tool> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<Tool> tools() {
        return List.copyOf(ordered);
    }

    public List<ToolSpec> specs() {
        return ordered.stream().map(Tool::spec).toList();
    }

    public boolean isEmpty() {
        return ordered.isEmpty();
    }

    /** Runs one tool call and returns its result block; every failure is an error result, never an exception. */
    public ContentBlock.ToolResult execute(ContentBlock.ToolUse call, ToolContext context) {
        ToolResult result = run(call, context);
        return new ContentBlock.ToolResult(call.id(), result.output(), result.isError());
    }

    private ToolResult run(ContentBlock.ToolUse call, ToolContext context) {
        Tool tool = byName.get(call.name());
        if (tool == null) {
            return ToolResult.error("Unknown tool '" + call.name() + "'. Available tools: "
                    + (ordered.isEmpty()
                            ? "none"
                            : String.join(", ", ordered.stream().map(Tool::name).toList())));
        }
        Optional<UnparseableArguments> unparseable = UnparseableArguments.in(call.input());
        if (unparseable.isPresent()) {
            return ToolResult.error("The arguments for '" + call.name() + "' were not a valid JSON object: "
                    + unparseable.get().text());
        }
        List<String> problems = JsonSchemaValidator.validate(tool.spec().inputSchema(), call.input());
        if (!problems.isEmpty()) {
            return ToolResult.error("Invalid arguments for '" + call.name() + "': " + String.join("; ", problems));
        }
        try {
            ToolResult result = tool.handler().call(call.input(), context);
            return result == null ? ToolResult.ok("") : result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ToolResult.error("Tool '" + call.name() + "' was interrupted");
        } catch (Exception | StackOverflowError e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return ToolResult.error("Tool '" + call.name() + "' failed: " + message);
        }
    }
}
