package dev.miu.core.pattern;

import dev.miu.core.agent.Response;
import dev.miu.core.message.Usage;
import dev.miu.core.tracing.Tracing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
        return Tracing.current().inSpan("pipeline " + name, "pipeline", span -> {
            span.setAttribute("miu.pattern.stages", stages.size());
            return runStages(query);
        });
    }

    private PipelineResult runStages(String query) {
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
                outcome = AgentRuns.run(stage.agent(), () -> built);
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
}
