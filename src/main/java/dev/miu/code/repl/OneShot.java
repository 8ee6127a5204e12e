package dev.miu.code.repl;

import dev.miu.code.CodingAgent;
import dev.miu.code.CodingAgents;
import dev.miu.code.CodingOptions;
import dev.miu.code.approval.Approver;
import dev.miu.config.MiuConfig;
import dev.miu.core.agent.Response;
import dev.miu.core.message.StopReason;

import java.io.PrintWriter;

/**
 * {@code miu -q}: one turn of the coding agent with nobody to ask. Read tools (also MCP tools their server marks
 * read-only) run; Write, Edit, Bash and the other MCP tools are refused, the model being told that nobody could be
 * asked, unless the mode is {@code auto}; {@code plan} offers read tools only.
 * The answer goes to stdout, tool calls to stderr. The turn is saved as a session like any other.
 */
public final class OneShot {

    static final String REFUSAL = "miu -q cannot ask for approval, so tools that may change things (Write, Edit, "
            + "Bash, MCP tools not marked read-only) are refused; the user can rerun with --mode auto to allow them.";

    private OneShot() {}

    /** Returns the exit code: 0, or 1 when the run stopped at the iteration limit, 130 when interrupted. */
    public static int run(MiuConfig config, CodingOptions options, String question, PrintWriter out, PrintWriter err) {
        CodingAgent agent = CodingAgents.create(config, options, Approver.nobodyToAsk(REFUSAL));
        var printer = new EventPrinter(out, err, false);
        Response response = agent.send(question, printer::accept);
        printer.endLine();
        if (response.stopReason() == StopReason.MAX_ITERATIONS) {
            err.println("miu: stopped after " + response.iterations() + " model calls (agent.max-iterations)");
            err.flush();
            return 1;
        }
        if (response.stopReason() == StopReason.CANCELLED) {
            return 130;
        }
        return 0;
    }
}
