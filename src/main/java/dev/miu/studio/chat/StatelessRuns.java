package dev.miu.studio.chat;

import dev.miu.agents.AgentCatalog;
import dev.miu.agents.SamplingLimits;
import dev.miu.config.Durations;
import dev.miu.config.MiuConfig;
import dev.miu.core.ConfigurationException;
import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.ApprovalDecision;
import dev.miu.core.agent.PendingApprovals;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.agent.Response;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.tool.ToolContext;
import dev.miu.studio.StudioException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The turns of no session behind {@link ChatRunner#beginStateless} and {@link ChatRunner#runStateless}: the agent
 * runs through the runner's own {@code runAgent} (provider failures, cancels) and event mapping; nothing is stored.
 */
final class StatelessRuns {

    private final ChatRunner runner;
    /** How often one run may be denied and go on before it stops where it paused (a model that keeps asking). */
    private static final int MAX_DENIALS = 5;

    private final MiuConfig config;
    private final AgentCatalog agents;
    private final ActiveTurns turns;

    StatelessRuns(ChatRunner runner, MiuConfig config, AgentCatalog agents, ActiveTurns turns) {
        this.runner = runner;
        this.config = config;
        this.agents = agents;
        this.turns = turns;
    }

    ChatTurn begin(String agentName, StatelessOptions options) {
        Agent agent;
        SamplingLimits limits = options.limits();
        try {
            agent = agents.create(agentName, null, null, limits);
        } catch (NoSuchElementException e) {
            throw StudioException.notFound("The model '" + agentName + "' does not exist; the models are miu's agents: "
                    + String.join(", ", agents.names()));
        } catch (ConfigurationException e) {
            throw new StudioException(503, e.getMessage());
        }
        if (agent instanceof ReActAgent react && options.system() != null) {
            agent = react.withConfig(withSystem(react.config(), options.system()));
        }
        // a key no session id can be: the turn is cancellable and has its deadline like a session's
        ChatTurn turn =
                turns.begin("stateless-" + UUID.randomUUID(), config.agent().turnTimeout(), false);
        turn.prepare(agent, agentName, limits);
        turn.stateless(options.system());
        return turn;
    }

    /** A model agent's settings with the request's system text after its own instructions. */
    private static AgentConfig withSystem(AgentConfig c, String system) {
        return c.withSystemPrompt(c.systemPrompt() == null ? system : c.systemPrompt() + "\n\n" + system);
    }

    /** The agent that paused: the run's own, or the one a router chose and passed the conversation to. */
    private Agent pausedAgent(ChatTurn turn, PendingApprovals pending) {
        if (pending.agent() == null) {
            return turn.agent();
        }
        try {
            return agents.create(pending.agent(), null, null, turn.limits());
        } catch (NoSuchElementException | ConfigurationException e) {
            return null; // cannot go on: the run ends where it paused
        }
    }

    TurnResult run(ChatTurn turn, List<Message> conversation, Consumer<ChatEvent> events) {
        Agent agent = turn.agent();
        List<Message> history = new ArrayList<>(conversation);
        String system = turn.statelessSystem();
        if (system != null
                && !(agent instanceof ReActAgent)
                && history.getFirst().role() == Role.USER) {
            List<ContentBlock> content = new ArrayList<>();
            content.add(new ContentBlock.Text(system + "\n\n"));
            content.addAll(history.getFirst().content());
            history.set(0, new Message(Role.USER, content));
        }
        List<Message> input = List.copyOf(history);
        Response response = runner.runAgent(
                turn, () -> agent.stream(input, ToolContext.current(), e -> ChatRunner.forward(e, null, events)), null);
        Usage usage = response.usage();
        // nobody can approve here: the waiting calls are denied, the model reads why and goes on (a router passes on
        // the pause of the agent it chose, which then goes on itself), for at most MAX_DENIALS pauses
        for (int denials = 0;
                response.stopReason() == StopReason.AWAITING_APPROVAL && denials < MAX_DENIALS;
                denials++) {
            if (!(pausedAgent(turn, response.pending()) instanceof ReActAgent react)) {
                break;
            }
            history.addAll(response.messages());
            Map<String, ApprovalDecision> denied = new HashMap<>();
            response.pending()
                    .waiting()
                    .forEach(c -> denied.put(c.id(), ApprovalDecision.deny(ChatRunner.NO_APPROVAL_WITHOUT_SESSION)));
            Response paused = response;
            List<Message> sofar = List.copyOf(history);
            String speaker = paused.pending().agent(); // a router's chosen agent speaks for itself, as before the pause
            response = runner.runAgent(
                    turn,
                    () -> react.resume(
                            sofar,
                            paused.pending(),
                            denied,
                            ToolContext.current(),
                            e -> ChatRunner.forward(e, speaker, events)),
                    null);
            usage = usage.plus(response.usage());
        }
        history.addAll(response.messages());
        turn.close();
        if (turn.timedOut() && response.stopReason() == StopReason.CANCELLED) {
            throw new StudioException(
                    504,
                    "The turn ran longer than agent.turn-timeout (" + Durations.format(turn.timeout())
                            + ") and was stopped");
        }
        // still paused after the denials (or paused where it cannot go on): the run is out of steps
        StopReason stop = response.stopReason() == StopReason.AWAITING_APPROVAL
                ? StopReason.MAX_ITERATIONS
                : response.stopReason();
        events.accept(new ChatEvent.Done(stop, usage, history.size()));
        return new TurnResult(null, response.text(), history.size(), usage, stop, turn.agentName());
    }
}
