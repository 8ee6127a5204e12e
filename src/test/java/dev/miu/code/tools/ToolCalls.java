package dev.miu.code.tools;

import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolRegistry;

import java.nio.file.Path;

/** Calls the coding tools the way the agent does: through a registry, with JSON arguments and a context. */
final class ToolCalls {

    private final ToolRegistry registry = ToolRegistry.of(CodingTools.all());
    private final ToolContext context;

    ToolCalls(Path workspace) {
        this.context = new ToolContext(workspace, "test-session");
    }

    ContentBlock.ToolResult call(String tool, String argumentsJson) {
        return registry.execute(
                new ContentBlock.ToolUse(
                        "call-1", tool, Json.parse(argumentsJson).asJsonObject()),
                context);
    }

    /** The output of a call that must succeed. */
    String ok(String tool, String argumentsJson) {
        ContentBlock.ToolResult r = call(tool, argumentsJson);
        if (r.isError()) {
            throw new AssertionError(tool + " failed: " + r.content());
        }
        return r.content();
    }

    /** The message of a call that must fail. */
    String error(String tool, String argumentsJson) {
        ContentBlock.ToolResult r = call(tool, argumentsJson);
        if (!r.isError()) {
            throw new AssertionError(tool + " should have failed but returned: " + r.content());
        }
        return r.content();
    }

    static String json(String s) {
        return Json.write(Json.string(s));
    }
}
