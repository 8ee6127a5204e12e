package dev.miu.studio.tools;

import dev.miu.core.tool.Tool;

import java.util.List;

/**
 * Something that contributes tools to studio agents. Asked again for every chat turn, so a source whose tools
 * change (an MCP server's list) is seen at the next turn.
 */
@FunctionalInterface
public interface ToolSource {

    List<Tool> tools();
}
