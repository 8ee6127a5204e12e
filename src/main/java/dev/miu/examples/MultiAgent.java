package dev.miu.examples;

import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.pattern.Orchestrator;
import dev.miu.core.pattern.OrchestratorResult;
import dev.miu.core.pattern.Pipeline;
import dev.miu.core.pattern.PipelineResult;
import dev.miu.core.pattern.RouteRule;
import dev.miu.core.pattern.Router;
import dev.miu.core.pattern.RouterResult;
import dev.miu.core.pattern.Stage;
import dev.miu.core.pattern.StageResult;
import dev.miu.core.pattern.Task;
import dev.miu.core.pattern.TaskResult;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.Provider;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * The three multi-agent patterns with specialised agents on one model: a {@link Router} sends a question to the
 * right specialist, a {@link Pipeline} drafts, edits and titles a text, and an {@link Orchestrator} researches two
 * topics in parallel before a writer combines them. Seven model calls in all.
 */
public final class MultiAgent implements Example {

    static final String ROUTED_QUESTION = "Please translate 'good morning' into Portuguese.";
    static final String PIPELINE_TOPIC = "Why the JVM's virtual threads suit I/O-bound servers";

    public static void main(String[] args) {
        System.exit(new MultiAgent().run(ExampleContext.fromEnvironment()));
    }

    @Override
    public String name() {
        return "multi-agent";
    }

    @Override
    public String description() {
        return "Router, Pipeline and Orchestrator: specialised agents working together";
    }

    @Override
    public int run(ExampleContext context) {
        PrintWriter out = context.out();
        ModelSpec model = context.modelSpec();
        Provider provider = context.provider(model);
        out.println("Model: " + model);

        // 1. Router: rules by priority, then the default route
        Router router = Router.builder("help-desk")
                .route(
                        "translator",
                        "Translates text",
                        agent("translator", "You translate text. Reply with the translation only.", model, provider),
                        RouteRule.keywords("translate", "translation"),
                        10)
                .route(
                        "mathematician",
                        "Arithmetic and maths",
                        agent("mathematician", "You solve maths problems briefly.", model, provider),
                        RouteRule.regex("\\d+\\s*[-+*/^]\\s*\\d+"),
                        5)
                .defaultRoute(
                        "generalist", "Anything else", agent("generalist", "You answer briefly.", model, provider))
                .build();
        out.println();
        out.println("== Router: " + ROUTED_QUESTION);
        RouterResult routed = router.run(ROUTED_QUESTION);
        out.println(
                "route: " + routed.decision().route() + " (" + routed.decision().reason() + ")");
        out.println(
                routed.succeeded() ? routed.text().strip() : routed.outcome().describe());

        // 2. Pipeline: each stage works on the previous stage's answer
        Pipeline pipeline = new Pipeline(
                "article",
                List.of(
                        Stage.of(
                                "draft",
                                agent(
                                        "writer",
                                        "You write one short paragraph on the topic you are given.",
                                        model,
                                        provider)),
                        Stage.of(
                                "edit",
                                agent("editor", "You tighten text. Reply with the edited text only.", model, provider),
                                (topic, draft) -> "Edit this paragraph about \"" + topic + "\":\n" + draft.text()),
                        Stage.of(
                                "title",
                                agent("titler", "You write titles. Reply with one title only.", model, provider),
                                (topic, edited) -> "A title for:\n" + edited.text())),
                true);
        out.println();
        out.println("== Pipeline: " + PIPELINE_TOPIC);
        PipelineResult article = pipeline.run(PIPELINE_TOPIC);
        for (StageResult stage : article.stages()) {
            out.println("[" + stage.stage() + "] "
                    + (stage.outcome().succeeded()
                            ? stage.outcome().text().strip()
                            : stage.outcome().describe()));
        }

        // 3. Orchestrator: two independent tasks in parallel, then one that uses both results
        Agent researcher = agent("researcher", "You state three key facts, one line each.", model, provider);
        Agent writer =
                agent("writer", "You write a two-sentence comparison from the notes you are given.", model, provider);
        Orchestrator orchestrator = Orchestrator.builder("compare-runtimes")
                .agent("researcher", researcher)
                .agent("writer", writer)
                .maxParallel(2)
                .taskTimeout(Duration.ofMinutes(5))
                .build();
        out.println();
        out.println("== Orchestrator: research two runtimes in parallel, then compare");
        OrchestratorResult comparison = orchestrator.run(List.of(
                Task.of("jvm", "researcher", "Key facts about the JVM"),
                Task.of("beam", "researcher", "Key facts about the Erlang BEAM VM"),
                Task.withResults("compare", "writer", "Compare the two runtimes using these notes.", "jvm", "beam")));
        for (TaskResult task : comparison.tasks()) {
            out.println("[" + task.id() + "] "
                    + (task.outcome().succeeded()
                            ? task.outcome().text().strip()
                            : task.outcome().describe()));
        }

        boolean ok = routed.succeeded() && article.succeeded() && comparison.succeeded();
        out.println();
        out.println(ok ? "All three patterns finished." : "Some steps did not succeed; see above.");
        out.flush();
        return ok ? 0 : 1;
    }

    private static Agent agent(String name, String systemPrompt, ModelSpec model, Provider provider) {
        return new ReActAgent(AgentConfig.of(name, model.toString()).withSystemPrompt(systemPrompt), provider);
    }
}
