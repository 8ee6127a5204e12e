package dev.miu.cli;

import dev.miu.agents.ConfiguredAgents;
import dev.miu.code.repl.EventPrinter;
import dev.miu.config.MiuConfig;
import dev.miu.core.ConfigurationException;
import dev.miu.core.agent.Agent;
import dev.miu.core.agent.ApprovalDecision;
import dev.miu.core.agent.PendingApprovals;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.agent.Response;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.message.Message;
import dev.miu.core.message.StopReason;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tracing.Tracing;
import dev.miu.core.tracing.TracingSetup;
import dev.miu.rag.Embedders;
import dev.miu.rag.KnowledgeBase;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code miu -q --agent NAME "..."}: one turn of a declared agent instead of the coding agent. The agents are
 * checked as {@code miu serve} checks them (after the MCP servers start); the answer streams to stdout, tool calls
 * to stderr. Calls that wait for approval are refused (nobody can be asked), as {@code miu -q} refuses the coding
 * agent's. Unlike the coding agent's turns, the turn is not saved as a session.
 */
final class AgentQuery {

    /** What the model is told about a call that waits for approval, since {@code -q} has nobody to ask. */
    static final String REFUSAL = "miu -q cannot ask for approval, so this call was refused; declare the tool with"
            + " 'approval: never' to let it run unasked, or ask in the studio or the REPL";

    /** How often a run may be refused and go on before it stops at the next call that waits. */
    private static final int MAX_REFUSALS = 5;

    private AgentQuery() {}

    /** Returns the exit code: 0, 1 when the agent stopped without finishing, 130 when interrupted. */
    static int run(MiuCommand root, String name, String question, PrintWriter out, PrintWriter err) {
        MiuConfig config = MiuConfig.load(root.configFile, root.environment);
        if (root.agentsDir != null) {
            config = config.withAgents(config.agents().withDir(root.agentsDir));
        }
        Tracing tracing = TracingSetup.create(config.tracing());
        Tracing previous = Tracing.install(tracing);
        try (McpServers mcp = McpStartup.start(
                        config,
                        root.mcpConfigFile,
                        root.environment,
                        Path.of("").toAbsolutePath(),
                        err);
                KnowledgeBase knowledge = Embedders.knowledgeBase(config.rag(), config.providers())) {
            var agents = ConfiguredAgents.load(config, mcp, knowledge, ProviderOptions.DEFAULT);
            if (agents.find(name).isEmpty()) {
                throw new ConfigurationException(
                        "No agent '" + name + "'; known: " + String.join(", ", agents.names()));
            }
            String model = root.model == null || root.model.isBlank() ? null : root.model.strip();
            Agent agent = agents.create(name, model, null);
            var printer = new EventPrinter(out, err, false);
            List<Message> conversation = new ArrayList<>(List.of(Message.user(question)));
            ToolContext context = ToolContext.current();
            Response response = agent.stream(conversation, context, printer::accept);
            // nobody can be asked here: calls that wait for approval are refused, and the run goes on without them
            // (a model that keeps asking gets refused a bounded number of times, then the run stops)
            for (int refusals = 0;
                    response.stopReason() == StopReason.AWAITING_APPROVAL && refusals < MAX_REFUSALS;
                    refusals++) {
                PendingApprovals pending = response.pending();
                Agent paused = pending.agent() == null ? agent : agents.create(pending.agent(), model, null);
                if (!(paused instanceof ReActAgent react)) {
                    break;
                }
                conversation.addAll(response.messages());
                Map<String, ApprovalDecision> refused = new HashMap<>();
                pending.waiting().forEach(call -> refused.put(call.id(), ApprovalDecision.deny(REFUSAL)));
                response = react.resume(conversation, pending, refused, context, printer::accept);
            }
            printer.endLine();
            out.flush();
            if (response.stopReason() == StopReason.CANCELLED) {
                return 130;
            }
            if (response.stopReason() == StopReason.AWAITING_APPROVAL) {
                err.println("miu: agent '" + name + "' stopped at calls that wait for approval");
                err.flush();
                return 1;
            }
            if (response.stopReason() == StopReason.MAX_ITERATIONS) {
                err.println("miu: agent '" + name + "' stopped after " + response.iterations()
                        + " model calls (its max-iterations)");
                err.flush();
                return 1;
            }
            return 0;
        } finally {
            Tracing.install(previous);
            TracingSetup.shutdown(tracing);
        }
    }
}
