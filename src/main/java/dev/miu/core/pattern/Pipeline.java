package dev.miu.core.pattern;

import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.Response;
import dev.miu.core.message.Message;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.tool.ToolContext;
import io.opentelemetry.api.trace.Span;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs stages one after another, each agent answering a query built from the initial query and the previous
 * stage's response. On a failure it either stops (later stages are reported skipped) or goes on from the last
 * successful response, with the failure kept in the result.
 *
 * <pre>{@code
 * var pipeline = new Pipeline("translate-and-review", List.of(
 *         Stage.of("draft", writer),
 *         Stage.of("translate", translator, (initial, previous) -> "Translate into French:\n" + previous.text()),
 *         Stage.of("review", reviewer)), true);
 * PipelineResult result = pipeline.run("Write two sentences about the sea");
 * }</pre>
 *
 * @param stopOnError stop at the first failed stage; otherwise continue and report the failure
 */
public record Pipeline(String name, List<Stage> stages, boolean stopOnError) {

    public Pipeline {
        if (name == null || name.isBlank()) {
            throw new PatternException("A pipeline needs a name");
        }
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new PatternException("Pipeline '" + name + "' has no stages");
        }
        if (stages.stream().map(Stage::name).distinct().count() != stages.size()) {
            throw new PatternException("Pipeline '" + name + "' has two stages with the same name");
        }
    }

    /**
     * Runs the stages in order: build the stage's query, run its agent, keep its response for the next stage.
     * A cancelled stage (the thread was interrupted) always stops the run.
     */
    public PipelineResult run(String query) {
        if (query == null || query.isBlank()) {
            throw new PatternException("Pipeline '" + name + "' was given an empty query");
        }
        ToolContext context = ToolContext.current();
        return SubAgentRuns.inSpan(
                name,
                "pipeline " + name,
                "pipeline",
                context,
                span -> runStages(List.of(Message.user(query)), context, SubAgentRuns.silent(), span));
    }

    /**
     * This pipeline as an agent a server can host. The first stage runs on the whole conversation (its transform,
     * if any, rewrites the last message), each next stage on its query as {@link #run} builds it; the answer is the
     * last stage's, marked with the agent that gave it. Its stream frames each stage agent's events
     * ({@code AgentStart}, {@code Nested}, {@code AgentEnd}). When a stage does not succeed, the answer says which
     * and why (after the last stage's answer, when it still came) and the run ends with {@code ERROR}; a cancelled
     * run ends with {@code CANCELLED} and no answer. The stages' own tool calls stay out of the history.
     */
    public Agent asAgent() {
        return PatternAgent.of(name, "pipeline", this::stream);
    }

    private Response stream(List<Message> conversation, ToolContext context, Consumer<AgentEvent> events) {
        SubAgentRuns.lastUserText(conversation, "Pipeline '" + name + "'");
        var runs = new SubAgentRuns(events);
        PipelineResult result = SubAgentRuns.inSpan(
                name, "pipeline " + name, "pipeline", context, span -> runStages(conversation, context, runs, span));
        if (result.stages().stream().anyMatch(s -> s.outcome() instanceof Outcome.Cancelled)) {
            Thread.interrupted(); // handled: the run ends CANCELLED, as an agent's does
            return runs.finish(List.of(), StopReason.CANCELLED);
        }
        Stage lastStage = stages.getLast();
        StageResult last = result.stages().getLast();
        String speaker = lastStage.agent().config().name();
        if (result.succeeded()) {
            Response answer = ((Outcome.Succeeded) last.outcome()).response();
            return runs.finish(List.of(Message.assistant(answer.text()).withAgent(speaker)), answer.stopReason());
        }
        var text = new StringBuilder();
        if (last.outcome().succeeded()) {
            text.append(last.outcome().text()).append("\n\n");
        } else {
            speaker = name;
        }
        text.append("Pipeline '").append(name).append("' did not run every stage:");
        for (StageResult problem : result.problems()) {
            text.append("\n- stage '")
                    .append(problem.stage())
                    .append("' ")
                    .append(problem.outcome().describe());
        }
        return runs.finish(List.of(Message.assistant(text.toString()).withAgent(speaker)), StopReason.ERROR);
    }

    /**
     * The stages over {@code conversation}, whose last message holds the initial query: the first stage to run
     * without an earlier answer sees the whole conversation, the others only their query.
     */
    private PipelineResult runStages(List<Message> conversation, ToolContext context, SubAgentRuns runs, Span span) {
        span.setAttribute("miu.pattern.stages", stages.size());
        String query = conversation.getLast().text();
        List<StageResult> results = new ArrayList<>(stages.size());
        Response previous = null;
        Usage usage = Usage.ZERO;
        String stoppedBy = null;
        for (Stage stage : stages) {
            if (stoppedBy != null) {
                results.add(new StageResult(stage.name(), null, new Outcome.Skipped(stoppedBy), Duration.ZERO));
                continue;
            }
            long start = System.nanoTime();
            String input = null;
            Outcome outcome;
            try {
                String built = stage.query(query, previous);
                input = built;
                outcome = built == null || built.isBlank()
                        ? new Outcome.Failed("the query is empty")
                        : runs.run(stage.agent(), messages(conversation, previous, stage, built), context);
            } catch (RuntimeException e) {
                outcome = new Outcome.Failed("could not build the query: " + AgentRuns.message(e));
            }
            results.add(new StageResult(stage.name(), input, outcome, Duration.ofNanos(System.nanoTime() - start)));
            switch (outcome) {
                case Outcome.Succeeded s -> {
                    previous = s.response();
                    usage = usage.plus(previous.usage());
                }
                case Outcome.Cancelled c -> stoppedBy = "stage '" + stage.name() + "' was cancelled";
                default -> {
                    if (stopOnError) {
                        stoppedBy = "stage '" + stage.name() + "' failed and stop-on-error is on";
                    }
                }
            }
        }
        return new PipelineResult(name, results, previous == null ? "" : previous.text(), usage);
    }

    /** What a stage's agent reads: the conversation (its last message rewritten by a transform) or just its query. */
    private static List<Message> messages(List<Message> conversation, Response previous, Stage stage, String query) {
        if (previous != null) {
            return List.of(Message.user(query));
        }
        if (stage.transform() == null) {
            return conversation;
        }
        List<Message> rewritten = new ArrayList<>(conversation.subList(0, conversation.size() - 1));
        rewritten.add(Message.user(query));
        return rewritten;
    }
}
