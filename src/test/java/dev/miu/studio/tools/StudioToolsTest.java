package dev.miu.studio.tools;

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

    @Test
    void noToolsByDefault() {
        assertTrue(StudioTools.named(List.of()).registry().isEmpty());
        assertTrue(StudioTools.none().names().isEmpty());
    }

    @Test
    void builtInToolsAreEnabledByName() {
        StudioTools tools = StudioTools.named(List.of("current_time"));
        assertEquals(List.of("current_time"), tools.names());
        ContentBlock.ToolResult utc = tools.registry()
                .execute(new ContentBlock.ToolUse("c1", "current_time", Json.EMPTY_OBJECT), ToolContext.current());
        assertFalse(utc.isError());
        assertTrue(utc.content().matches("\\d{4}-\\d\\d-\\d\\dT.*Z\\[UTC]"), utc.content());
        ContentBlock.ToolResult bad = tools.registry()
                .execute(
                        new ContentBlock.ToolUse(
                                "c2", "current_time", Json.parseObject("{\"timezone\":\"Mars/Olympus\"}")),
                        ToolContext.current());
        assertTrue(bad.isError());
    }

    @Test
    void anUnknownToolNameIsAConfigurationError() {
        var e = assertThrows(ConfigurationException.class, () -> StudioTools.named(List.of("rm_rf")));
        assertTrue(e.getMessage().contains("rm_rf") && e.getMessage().contains("current_time"), e.getMessage());
    }

    @Test
    void sourcesAreAskedAgainForEveryTurn() {
        List<Tool> live = new ArrayList<>();
        StudioTools tools = StudioTools.none().with(() -> List.copyOf(live));
        assertTrue(tools.registry().isEmpty());
        live.add(Tool.of(
                "ping",
                "Answers pong",
                Json.object().add("type", "object").build(),
                (in, ctx) -> ToolResult.ok("pong")));
        assertEquals(List.of("ping"), tools.names());
    }
}
