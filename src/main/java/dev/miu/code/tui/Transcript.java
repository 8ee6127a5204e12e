package dev.miu.code.tui;

import dev.miu.code.ToolDisplay;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.message.StopReason;

import java.util.ArrayList;
import java.util.List;

/** The chat as the TUI shows it, built from user inputs, agent events and notices. Owned by the UI thread. */
final class Transcript {

    private final List<Entry> entries = new ArrayList<>();

    List<Entry> entries() {
        return entries;
    }

    void clear() {
        entries.clear();
    }

    void user(String text) {
        entries.add(new Entry.UserInput(text));
    }

    void notice(String text) {
        entries.add(new Entry.Notice(text, false));
    }

    void error(String text) {
        entries.add(new Entry.Notice(text, true));
    }

    void apply(AgentEvent event) {
        switch (event) {
            case AgentEvent.TextDelta d -> {
                if (!entries.isEmpty() && entries.getLast() instanceof Entry.Answer a) {
                    entries.set(entries.size() - 1, new Entry.Answer(a.text() + d.text()));
                } else {
                    entries.add(new Entry.Answer(d.text()));
                }
            }
            case AgentEvent.ToolCall c ->
                entries.add(new Entry.ToolCard(
                        c.id(), ToolDisplay.summary(c.name(), c.input()), Entry.Status.RUNNING, List.of()));
            case AgentEvent.ToolResult r -> {
                for (int i = entries.size() - 1; i >= 0; i--) {
                    if (entries.get(i) instanceof Entry.ToolCard card
                            && card.id().equals(r.id())) {
                        entries.set(
                                i,
                                new Entry.ToolCard(
                                        card.id(),
                                        card.summary(),
                                        r.isError() ? Entry.Status.ERROR : Entry.Status.OK,
                                        ToolDisplay.preview(r.output(), 4)));
                        break;
                    }
                }
            }
            case AgentEvent.UsageUpdate u -> {}
            case AgentEvent.Done d -> {}
            case AgentEvent.ApprovalRequest a -> {} // the approval dialog shows the call
            case AgentEvent.Nested n -> apply(n.event());
            // a sub-agent's run is set off by its name, so its text is not read as the main answer's
            case AgentEvent.AgentStart s -> notice("[" + s.agent() + "]");
            case AgentEvent.AgentEnd e ->
                notice("[" + e.agent() + "] "
                        + (e.stopReason() == StopReason.END_TURN
                                ? "done"
                                : e.stopReason().wireName()));
        }
    }
}
