package dev.miu.core.message;

import dev.miu.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MessageJsonTest {

    @Test
    void roundTripsEveryBlockKind() {
        List<Message> messages = List.of(
                Message.user("hi"),
                new Message(
                        Role.ASSISTANT,
                        List.of(
                                new ContentBlock.Text("let me look"),
                                new ContentBlock.ToolUse("t1", "read", Json.parseObject("{\"path\":\"a.txt\"}")))),
                Message.toolResults(List.of(new ContentBlock.ToolResult("t1", "not found", true))));
        String stored = Json.write(MessageJson.toJson(messages));
        assertEquals(messages, MessageJson.fromJson(Json.parse(stored).asJsonArray()));
    }

    @Test
    void malformedMessagesAreRejectedWithAReason() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> MessageJson.fromJson(Json.parseObject("{\"role\":\"user\",\"content\":[{\"type\":\"video\"}]}")));
        assertEquals("Unknown content block type: video", e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> MessageJson.fromJson(Json.parseObject("{\"role\":\"robot\",\"content\":\"x\"}")));
    }
}
