package dev.miu.examples;

import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.agent.Response;
import dev.miu.core.provider.ModelSpec;

import java.io.PrintWriter;

/** The smallest useful program: one agent, one question, the answer streamed as it arrives, then its token usage. */
public final class SimpleAgent implements Example {

    static final String QUESTION = "In two sentences: what is a virtual thread in Java, and why is it cheap?";

    public static void main(String[] args) {
        System.exit(new SimpleAgent().run(ExampleContext.fromEnvironment()));
    }

    @Override
    public String name() {
        return "simple-agent";
    }

    @Override
    public String description() {
        return "One agent answers one question, streamed token by token";
    }

    @Override
    public int run(ExampleContext context) {
        PrintWriter out = context.out();
        ModelSpec model = context.modelSpec();
        var agent = new ReActAgent(
                AgentConfig.of("simple-agent", model.toString()).withSystemPrompt("You are a concise Java expert."),
                context.provider(model));

        out.println("Model: " + model);
        out.println("Question: " + QUESTION);
        out.print("Answer: ");
        Response response = agent.stream(QUESTION, event -> {
            if (event instanceof AgentEvent.TextDelta delta) {
                out.print(delta.text());
                out.flush();
            }
        });
        out.println();
        out.println("Tokens: " + response.usage().inputTokens() + " in, "
                + response.usage().outputTokens() + " out");
        out.flush();
        return 0;
    }
}
