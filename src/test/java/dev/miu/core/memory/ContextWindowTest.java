package dev.miu.core.memory;

import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContextWindowTest {

    static List<Message> conversationWithToolTurns(int turns) {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < turns; i++) {
            messages.add(Message.user("question " + i + " " + "x".repeat(400)));
            messages.add(new Message(
                    Role.ASSISTANT, List.of(new ContentBlock.ToolUse("t" + i, "search", Json.EMPTY_OBJECT))));
            messages.add(Message.toolResults(List.of(new ContentBlock.ToolResult("t" + i, "y".repeat(400), false))));
            messages.add(Message.assistant("answer " + i));
        }
        return messages;
    }

    @Test
    void trimmingNeverSeparatesAToolUseFromItsResult() {
        List<Message> all = conversationWithToolTurns(10);
        for (long budget = 50; budget < 3000; budget += 37) {
            List<Message> kept = new ContextWindow(budget).fit(all);
            Message first = kept.getFirst();
            assertEquals(Role.USER, first.role());
            assertFalse(first.hasToolResults(), "budget " + budget + " starts at a tool result");
            for (int i = 0; i < kept.size(); i++) {
                if (kept.get(i).hasToolResults()) {
                    assertFalse(kept.get(i - 1).toolUses().isEmpty(), "result without its call at budget " + budget);
                }
            }
        }
    }

    @Test
    void keepsEverythingWithinBudgetAndTheNewestTurnAlways() {
        List<Message> all = conversationWithToolTurns(3);
        assertEquals(all, new ContextWindow(1_000_000).fit(all));
        List<Message> tiny = new ContextWindow(1).fit(all);
        assertEquals(all.subList(8, 12), tiny, "the newest turn survives even past the budget");
        assertTrue(new ContextWindow(400).fit(all).size() < all.size());
    }
}
