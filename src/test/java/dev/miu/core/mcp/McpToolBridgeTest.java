package dev.miu.core.mcp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tool names models accept: SERVER__tool within [a-zA-Z0-9_-]{1,64}. */
class McpToolBridgeTest {

    @Test
    void prefixesAndCleansNames() {
        assertEquals("everything__get-sum", McpToolBridge.toolName("everything", "get-sum"));
        assertEquals("fs__read_file", McpToolBridge.toolName("fs", "read_file"));
        assertEquals("gh__repos_list_issues", McpToolBridge.toolName("gh", "repos.list issues"));
    }

    @Test
    void longNamesStayUniqueAndShortEnough() {
        String a = McpToolBridge.toolName("server", "a_very_long_tool_name_that_goes_on_and_on_and_on_forever_one");
        String b = McpToolBridge.toolName("server", "a_very_long_tool_name_that_goes_on_and_on_and_on_forever_two");
        assertEquals(64, a.length());
        assertTrue(a.matches("[a-zA-Z0-9_-]{1,64}"), a);
        assertNotEquals(a, b);
        assertTrue(a.startsWith("server__a_very_long"), a);
    }
}
