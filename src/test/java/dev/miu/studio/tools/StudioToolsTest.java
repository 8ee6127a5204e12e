package dev.miu.studio.tools;

import dev.miu.config.ConfigTree;
import dev.miu.core.ConfigurationException;
import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** studio.tools in app.yaml, and tool sources that later features plug in. */
class StudioToolsTest {

    private static ConfigTree yaml(String text) {
        return ConfigTree.parseYaml(text, "test.yaml");
    }

    @Test
    void noToolsByDefault() {
        assertTrue(StudioTools.fromConfig(yaml("agent:\n  max-iterations: 3\n")).registry().isEmpty());
        assertTrue(StudioTools.fromConfig(ConfigTree.empty("test")).names().isEmpty());
    }

    @Test
    void builtInToolsAreEnabledByName() {
        StudioTools tools = StudioTools.fromConfig(yaml("studio:\n  tools: [current_time]\n"));
        assertEquals(List.of("current_time"), tools.names());
        ContentBlock.ToolResult utc = tools.registry().execute(
                new ContentBlock.ToolUse("c1", "current_time", Json.EMPTY_OBJECT), ToolContext.current());
        assertFalse(utc.isError());
        assertTrue(utc.content().matches("\\d{4}-\\d\\d-\\d\\dT.*Z\\[UTC]"), utc.content());
        ContentBlock.ToolResult bad = tools.registry().execute(
                new ContentBlock.ToolUse("c2", "current_time", Json.parseObject("{\"timezone\":\"Mars/Olympus\"}")),
                ToolContext.current());
        assertTrue(bad.isError());
    }

    @Test
    void anUnknownToolNameIsAConfigurationError() {
        var e = assertThrows(ConfigurationException.class,
                () -> StudioTools.fromConfig(yaml("studio:\n  tools: [rm_rf]\n")));
        assertTrue(e.getMessage().contains("rm_rf") && e.getMessage().contains("current_time"), e.getMessage());
    }

    @Test
    void sourcesAreAskedAgainForEveryTurn() {
        List<Tool> live = new ArrayList<>();
        StudioTools tools = StudioTools.none().with(() -> List.copyOf(live));
        assertTrue(tools.registry().isEmpty());
        live.add(Tool.of("ping", "Answers pong", Json.object().add("type", "object").build(),
                (in, ctx) -> ToolResult.ok("pong")));
        assertEquals(List.of("ping"), tools.names());
    }
}
