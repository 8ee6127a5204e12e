package dev.miu.code.tui;

import dev.miu.code.Mode;
import dev.miu.code.approval.ApprovalRequest;

import java.util.List;

/**
 * A snapshot of what the screen shows, handed to {@link TuiView}.
 *
 * @param approval     the pending approval dialog, or null
 * @param askingReason the user said "no" and is typing a reason in the input box
 * @param scroll       how many lines the chat is scrolled up from the bottom
 */
record ViewModel(
        List<Entry> entries,
        String input,
        int cursor,
        boolean running,
        int spinner,
        ApprovalRequest approval,
        boolean askingReason,
        Mode mode,
        String workdir,
        String model,
        String tokens,
        int scroll) {}
