package dev.miu.code.tui;

import dev.miu.code.approval.ApprovalRequest;
import dev.miu.code.approval.Approver;
import dev.miu.code.approval.Decision;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/** Shows the approval dialog (by posting to the UI thread) and waits, on the agent's thread, for the answer. */
final class TuiApprover implements Approver {

    private final Consumer<UiEvent> post;

    TuiApprover(Consumer<UiEvent> post) {
        this.post = post;
    }

    @Override
    public Decision decide(ApprovalRequest request) throws InterruptedException {
        BlockingQueue<Decision> reply = new ArrayBlockingQueue<>(1);
        post.accept(new UiEvent.ApprovalAsked(request, reply));
        return reply.take(); // an interrupt (Esc) ends the wait and refuses the call
    }
}
