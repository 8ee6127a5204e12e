package dev.miu.core.pattern;

import dev.miu.core.message.Usage;

import java.util.List;

/**
 * The result of a {@link Pipeline} run: one {@link StageResult} per stage, in order.
 *
 * @param output the answer of the last stage that succeeded (empty if none did); check {@link #succeeded()}
 *               before treating it as the pipeline's answer
 * @param usage  tokens summed over the stages that succeeded
 */
public record PipelineResult(String name, List<StageResult> stages, String output, Usage usage) {

    public PipelineResult {
        stages = List.copyOf(stages);
    }

    /** True when every stage succeeded, so {@link #output()} is the last stage's answer. */
    public boolean succeeded() {
        return stages.stream().allMatch(s -> s.outcome().succeeded());
    }

    /** Stages that did not succeed, with what happened to each. */
    public List<StageResult> problems() {
        return stages.stream().filter(s -> !s.outcome().succeeded()).toList();
    }
}
