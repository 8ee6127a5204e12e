package dev.miu.core.pattern;

import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.agent.Response;
import dev.miu.core.message.Message;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.Providers;
import dev.miu.core.provider.RetryPolicy;
import dev.miu.core.tool.ToolContext;
import dev.miu.testing.ScriptedLlmServer;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Agents for pattern tests: real {@link ReActAgent}s talking to the scripted LLM server, and a plain-Java agent
 * for scheduling tests that need to block, fail or observe interruption at a precise moment.
 */
final class TestAgents {

    private TestAgents() {}

    /** A ReActAgent on the scripted server, no retries. */
    static Agent scripted(ScriptedLlmServer server, String name, String model) {
        var providers = new Providers(server.settings(), ProviderOptions.DEFAULT.withRetry(RetryPolicy.NONE));
        return new ReActAgent(AgentConfig.of(name, model), providers.create(ModelSpec.parse(model)));
    }

    /** An agent whose answer is computed by Java code; the code may block, throw, or watch for interruption. */
    static Agent java(String name, UnaryOperator<String> answer) {
        return new Agent() {
            @Override
            public AgentConfig config() {
                return AgentConfig.of(name, "test:java");
            }

            @Override
            public Response stream(List<Message> conversation, ToolContext context, Consumer<AgentEvent> events) {
                String text = answer.apply(conversation.getLast().text());
                events.accept(new AgentEvent.Done(StopReason.END_TURN, new Usage(1, 1)));
                return new Response(List.of(Message.assistant(text)), StopReason.END_TURN, new Usage(1, 1), 1);
            }
        };
    }

    /** Sleeps until interrupted (then reports it through {@code onInterrupt}), for timeout and fail-fast tests. */
    static Agent blocking(String name, Runnable onInterrupt) {
        return java(name, q -> {
            try {
                Thread.sleep(60_000);
                return "woke up";
            } catch (InterruptedException e) {
                onInterrupt.run();
                throw new dev.miu.core.CancelledException("interrupted");
            }
        });
    }
}
