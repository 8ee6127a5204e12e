package dev.miu.code.tui;

import dev.miu.core.agent.AgentEvent;
import dev.miu.core.message.StopReason;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TranscriptTest {

    @Test
    void aSubAgentsTextIsSetOffByItsName() {
        var transcript = new Transcript();

        transcript.apply(new AgentEvent.TextDelta("Asking."));
        transcript.apply(new AgentEvent.AgentStart("researcher"));
        transcript.apply(new AgentEvent.Nested("researcher", new AgentEvent.TextDelta("Seven")));
        transcript.apply(new AgentEvent.Nested("researcher", new AgentEvent.TextDelta(" hills.")));
        transcript.apply(new AgentEvent.AgentEnd("researcher", StopReason.END_TURN));
        transcript.apply(new AgentEvent.TextDelta("Done."));

        assertEquals(
                List.of(
                        new Entry.Answer("Asking."),
                        new Entry.Notice("[researcher]", false),
                        new Entry.Answer("Seven hills."),
                        new Entry.Notice("[researcher] done", false),
                        new Entry.Answer("Done.")),
                transcript.entries());
    }
}
