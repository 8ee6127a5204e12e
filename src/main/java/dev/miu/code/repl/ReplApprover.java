package dev.miu.code.repl;

import dev.miu.code.approval.ApprovalRequest;
import dev.miu.code.approval.Approver;
import dev.miu.code.approval.Decision;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;

import java.io.PrintWriter;

/** Asks on the terminal: {@code Allow Bash(make test)? [y]es / [a]lways / [n]o}, and for a reason on "no". */
final class ReplApprover implements Approver {

    private final LineReader reader;

    ReplApprover(LineReader reader) {
        this.reader = reader;
    }

    @Override
    public Decision decide(ApprovalRequest request) throws InterruptedException {
        PrintWriter out = reader.getTerminal().writer();
        out.println();
        boolean color = !reader.getTerminal().getType().startsWith("dumb");
        out.println(color ? "\u001b[33m? " + request.summary() + "\u001b[0m" : "? " + request.summary());
        request.detail().lines().limit(20).forEach(l -> out.println("  │ " + l));
        if (request.detail().lines().count() > 20) {
            out.println("  │ …");
        }
        out.flush();
        while (true) {
            String answer;
            try {
                answer = reader.readLine("Allow? [y]es / [a]lways for this session / [n]o: ")
                        .strip()
                        .toLowerCase(java.util.Locale.ROOT);
            } catch (UserInterruptException | EndOfFileException e) {
                throw new InterruptedException("approval interrupted");
            }
            switch (answer) {
                case "y", "yes" -> {
                    return new Decision.Allow();
                }
                case "a", "always" -> {
                    return new Decision.AllowAlways();
                }
                case "n", "no" -> {
                    String reason;
                    try {
                        reason = reader.readLine("Reason for the model (optional): ");
                    } catch (UserInterruptException | EndOfFileException e) {
                        reason = "";
                    }
                    return new Decision.Deny(reason);
                }
                default -> out.println("Please answer y, a or n.");
            }
        }
    }
}
