package dev.miu.core.agent;

import dev.miu.core.CancelledException;
import dev.miu.core.json.Json;
import dev.miu.core.memory.ContextWindow;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.MessageJson;
import dev.miu.core.message.Role;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.provider.ModelRequest;
import dev.miu.core.provider.ModelResponse;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.Provider;
import dev.miu.core.provider.Providers;
import dev.miu.core.provider.StreamEvent;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolRegistry;
import dev.miu.core.tracing.GenAi;
import dev.miu.core.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The reason-act loop: the model answers or asks for tools, the tools run, their results go back, repeat.
 * Tool failures are results the model reads; provider and configuration failures are thrown. Calls its
 * {@link ApprovalPolicy} marks make the run pause ({@link StopReason#AWAITING_APPROVAL}) until {@link #resume}.
 */
public final class ReActAgent implements Agent {

    private final AgentConfig config;
    private final Provider provider;
    private final ToolRegistry tools;
    private final ContextWindow window;
    private final String requestModel;
    private final ApprovalPolicy policy;

    /** @param policy which tool calls wait for approval (the run then pauses); {@code null} for none */
    public ReActAgent(
            AgentConfig config, Provider provider, ToolRegistry tools, ContextWindow window, ApprovalPolicy policy) {
        this.config = Objects.requireNonNull(config, "config");
        this.policy = policy == null ? ApprovalPolicy.NEVER : policy;
        this.provider = Objects.requireNonNull(provider, "provider");
        this.tools = tools == null ? new ToolRegistry() : tools;
        this.window = window == null ? ContextWindow.UNLIMITED : window;
        String model = ModelSpec.parse(config.model()).model();
        this.requestModel = model != null ? model : Providers.defaultModel(provider.name());
    }

    public ReActAgent(AgentConfig config, Provider provider, ToolRegistry tools, ContextWindow window) {
        this(config, provider, tools, window, ApprovalPolicy.NEVER);
    }

    public ReActAgent(AgentConfig config, Provider provider, ToolRegistry tools) {
        this(config, provider, tools, ContextWindow.UNLIMITED);
    }

    public ReActAgent(AgentConfig config, Provider provider) {
        this(config, provider, new ToolRegistry(), ContextWindow.UNLIMITED);
    }

    @Override
    public AgentConfig config() {
        return config;
    }

    public ToolRegistry tools() {
        return tools;
    }

    /**
     * This agent with another configuration (a request's own output-token limit or temperature, say): the same
     * provider, tools, context window and approval policy.
     */
    public ReActAgent withConfig(AgentConfig config) {
        return new ReActAgent(config, provider, tools, window, policy);
    }

    /**
     * Runs the loop on {@code conversation}:
     * <ol>
     *   <li>send the conversation (trimmed to the context window), the system prompt and the tool specs to the model,
     *       passing text deltas on as they stream;</li>
     *   <li>append the assistant message and report its usage;</li>
     *   <li>if it called no tools, finish with the model's stop reason;</li>
     *   <li>otherwise run the calls the {@link ApprovalPolicy} lets run unasked (concurrently when there are several;
     *       what they report, such as the events of an agent run as a tool, is passed on);</li>
     *   <li>if some calls wait for approval, report an {@link AgentEvent.ApprovalRequest} for each and finish with
     *       {@link StopReason#AWAITING_APPROVAL}, the response's {@link Response#pending()} holding what
     *       {@link #resume} needs;</li>
     *   <li>else append the results in the model's order, and go back to 1;</li>
     *   <li>after {@code maxIterations} model calls, finish with {@link StopReason#MAX_ITERATIONS}.</li>
     * </ol>
     * An interrupt ends the run with {@link StopReason#CANCELLED}, keeping the messages completed so far.
     *
     * @throws dev.miu.core.provider.ProviderException when the model call fails after its retries
     */
    @Override
    public Response stream(List<Message> conversation, ToolContext context, Consumer<AgentEvent> events) {
        if (conversation.isEmpty() || conversation.getLast().role() != Role.USER) {
            throw new IllegalArgumentException("The conversation must end with a user message");
        }
        return traced(context, tracing -> loop(conversation, null, context, events, tracing));
    }

    /**
     * Continues a run that ended with {@link StopReason#AWAITING_APPROVAL}: the approved calls run, the denied ones
     * get error results carrying the reason, all the results of that model message (with those that ran before the
     * pause) are appended in the model's order, and the loop goes on as in {@link #stream} (it may pause again).
     * The response's messages start with that tool-results message.
     *
     * @param conversation the history up to the pause: it ends with the assistant message whose calls are pending
     * @param decisions    a decision for every waiting call, by tool call id
     * @throws IllegalArgumentException the conversation does not end with the pending calls, a waiting call has no
     *                                  decision, or a decision names a call that does not wait
     */
    public Response resume(
            List<Message> conversation,
            PendingApprovals pending,
            Map<String, ApprovalDecision> decisions,
            ToolContext context,
            Consumer<AgentEvent> events) {
        ToolTurn turn = ToolTurn.resumed(conversation, pending, decisions);
        return traced(context, tracing -> {
            for (ContentBlock.ToolUse call : pending.waiting()) { // the denied calls are reported as they are decided
                ContentBlock.ToolResult refused = turn.known().get(call.id());
                if (refused != null) {
                    events.accept(new AgentEvent.ToolCall(call.id(), call.name(), call.input()));
                    report(call, refused, events);
                }
            }
            return loop(conversation, turn, context, events, tracing);
        });
    }

    /** Runs {@code body} inside this agent's {@code invoke_agent} span. */
    private Response traced(ToolContext context, java.util.function.Function<Tracing, Response> body) {
        Tracing tracing = Tracing.current();
        Context parent = Context.current();
        if (context.sessionId() != null) {
            parent = parent.with(Tracing.CONVERSATION, context.sessionId());
        }
        Span span;
        try (Scope ignored = parent.makeCurrent()) {
            span = tracing.start("invoke_agent " + config.name(), SpanKind.INTERNAL, "invoke_agent");
        }
        span.setAttribute(GenAi.AGENT_NAME, config.name());
        span.setAttribute(GenAi.PROVIDER_NAME, provider.name());
        span.setAttribute(GenAi.REQUEST_MODEL, requestModel);
        try (Scope ignored = span.storeInContext(parent).makeCurrent()) {
            Response response = body.apply(tracing);
            span.setAttribute(GenAi.USAGE_INPUT_TOKENS, response.usage().inputTokens());
            span.setAttribute(GenAi.USAGE_OUTPUT_TOKENS, response.usage().outputTokens());
            span.setAttribute(
                    GenAi.RESPONSE_FINISH_REASONS, List.of(response.stopReason().wireName()));
            return response;
        } catch (RuntimeException e) {
            Tracing.fail(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * The loop of {@link #stream}; {@code resumed}, when not null, is the paused model message's tool calls, answered
     * before the first model call.
     */
    private Response loop(
            List<Message> conversation,
            ToolTurn resumed,
            ToolContext context,
            Consumer<AgentEvent> events,
            Tracing tracing) {
        List<Message> history = new ArrayList<>(conversation);
        List<Message> added = new ArrayList<>();
        Usage total = Usage.ZERO;
        int iteration = 0;
        ToolTurn turn = resumed; // the calls of the latest assistant message, still to be answered
        try {
            while (true) {
                if (turn != null) {
                    ToolEvents toolEvents = new ToolEvents(events);
                    List<ContentBlock.ToolResult> ran =
                            runTools(turn.toRun(), context.withEvents(toolEvents), toolEvents::accept);
                    total = total.plus(toolEvents.usage()); // agents run as tools
                    PendingApprovals pending = turn.pending(ran);
                    if (!pending.isEmpty()) {
                        pending.waiting()
                                .forEach(c ->
                                        events.accept(new AgentEvent.ApprovalRequest(c.id(), c.name(), c.input())));
                        return finish(added, StopReason.AWAITING_APPROVAL, total, iteration, pending, events);
                    }
                    Message results = Message.toolResults(turn.results(ran));
                    history.add(results);
                    added.add(results);
                    turn = null;
                }
                if (iteration >= config.maxIterations()) {
                    return finish(added, StopReason.MAX_ITERATIONS, total, iteration, PendingApprovals.NONE, events);
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancelledException("cancelled");
                }
                iteration++;
                ModelResponse response = callModel(request(history), events, tracing);
                total = total.plus(response.usage());
                events.accept(new AgentEvent.UsageUpdate(response.usage()));
                Message assistant = response.message();
                history.add(assistant);
                added.add(assistant);

                List<ContentBlock.ToolUse> calls = response.toolUses();
                if (calls.isEmpty()) {
                    return finish(added, response.stopReason(), total, iteration, PendingApprovals.NONE, events);
                }
                turn = ToolTurn.fresh(calls, policy);
            }
        } catch (CancelledException e) {
            Thread.interrupted(); // the cancellation has been handled; clear the flag for the caller's thread
            closeOpenToolCalls(history, added, turn);
            return finish(added, StopReason.CANCELLED, total, iteration, PendingApprovals.NONE, events);
        }
    }

    /** One model call inside a {@code chat} span, passing text deltas on as agent events. */
    private ModelResponse callModel(ModelRequest request, Consumer<AgentEvent> events, Tracing tracing) {
        Span span = tracing.start("chat " + request.model(), SpanKind.CLIENT, "chat");
        span.setAttribute(GenAi.PROVIDER_NAME, provider.name());
        span.setAttribute(GenAi.REQUEST_MODEL, request.model());
        span.setAttribute(GenAi.REQUEST_MAX_TOKENS, (long) request.maxTokens());
        if (request.temperature() != null) {
            span.setAttribute(GenAi.REQUEST_TEMPERATURE, request.temperature());
        }
        if (tracing.captureContent()) {
            span.setAttribute(GenAi.INPUT_MESSAGES, Json.write(MessageJson.toJson(request.messages())));
            if (request.system() != null) {
                span.setAttribute(GenAi.SYSTEM_INSTRUCTIONS, request.system());
            }
        }
        try (Scope ignored = span.makeCurrent()) {
            ModelResponse response = provider.stream(request, event -> {
                if (event instanceof StreamEvent.TextDelta delta) {
                    events.accept(new AgentEvent.TextDelta(delta.text()));
                }
            });
            span.setAttribute(GenAi.RESPONSE_MODEL, response.model());
            span.setAttribute(GenAi.USAGE_INPUT_TOKENS, response.usage().inputTokens());
            span.setAttribute(GenAi.USAGE_OUTPUT_TOKENS, response.usage().outputTokens());
            span.setAttribute(
                    GenAi.RESPONSE_FINISH_REASONS, List.of(response.stopReason().wireName()));
            if (tracing.captureContent()) {
                span.setAttribute(GenAi.OUTPUT_MESSAGES, Json.write(MessageJson.toJson(List.of(response.message()))));
            }
            return response;
        } catch (RuntimeException e) {
            Tracing.fail(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** One tool call inside an {@code execute_tool} span; a tool's error result marks the span as failed. */
    private ContentBlock.ToolResult executeTool(ContentBlock.ToolUse call, ToolContext context) {
        Tracing tracing = Tracing.current();
        Span span = tracing.start("execute_tool " + call.name(), SpanKind.INTERNAL, "execute_tool");
        span.setAttribute(GenAi.TOOL_NAME, call.name());
        span.setAttribute(GenAi.TOOL_CALL_ID, call.id());
        span.setAttribute(GenAi.TOOL_TYPE, "function");
        if (tracing.captureContent()) {
            span.setAttribute(GenAi.TOOL_CALL_ARGUMENTS, Json.write(call.input()));
        }
        try (Scope ignored = span.makeCurrent()) {
            ContentBlock.ToolResult result = tools.execute(call, context);
            if (result.isError()) {
                span.setStatus(
                        StatusCode.ERROR,
                        result.content().length() > 200 ? result.content().substring(0, 200) : result.content());
                span.setAttribute(GenAi.ERROR_TYPE, "tool_error");
            }
            if (tracing.captureContent()) {
                span.setAttribute(GenAi.TOOL_CALL_RESULT, result.content());
            }
            return result;
        } finally {
            span.end();
        }
    }

    /**
     * A cancelled run may stop between a tool call and its result; answer each call (with the result it already has,
     * if any) so the history stays valid.
     */
    private static void closeOpenToolCalls(List<Message> history, List<Message> added, ToolTurn turn) {
        Message last = history.getLast();
        if (last.role() == Role.ASSISTANT && !last.toolUses().isEmpty()) {
            Message results = Message.toolResults(last.toolUses().stream()
                    .map(u -> turn != null && turn.known().containsKey(u.id())
                            ? turn.known().get(u.id())
                            : new ContentBlock.ToolResult(u.id(), "Cancelled by the user before it finished", true))
                    .toList());
            history.add(results);
            added.add(results);
        }
    }

    private ModelRequest request(List<Message> history) {
        return new ModelRequest(
                requestModel,
                config.systemPrompt(),
                window.fit(history),
                tools.specs(),
                config.maxTokens(),
                config.temperature());
    }

    /** Runs tool calls, several at once on virtual threads, and returns their results in the model's order. */
    private List<ContentBlock.ToolResult> runTools(
            List<ContentBlock.ToolUse> calls, ToolContext context, Consumer<AgentEvent> events) {
        if (calls.isEmpty()) {
            return List.of();
        }
        for (ContentBlock.ToolUse call : calls) {
            events.accept(new AgentEvent.ToolCall(call.id(), call.name(), call.input()));
        }
        List<ContentBlock.ToolResult> results = new ArrayList<>(calls.size());
        if (calls.size() == 1) {
            ContentBlock.ToolResult result = executeTool(calls.getFirst(), context);
            report(calls.getFirst(), result, events);
            results.add(result);
        } else {
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<ContentBlock.ToolResult>> futures = new ArrayList<>(calls.size());
                Context traceContext = Context.current(); // tool spans stay children of the agent span
                for (ContentBlock.ToolUse call : calls) {
                    futures.add(executor.submit(traceContext.wrap(() -> executeTool(call, context))));
                }
                for (int i = 0; i < calls.size(); i++) {
                    ContentBlock.ToolResult result;
                    try {
                        result = futures.get(i).get();
                    } catch (InterruptedException e) {
                        executor.shutdownNow();
                        throw new CancelledException("cancelled while tools ran");
                    } catch (ExecutionException e) {
                        // execute() turns every failure into a result; this is only reached on an Error
                        result = new ContentBlock.ToolResult(
                                calls.get(i).id(), "Tool '" + calls.get(i).name() + "' failed: " + e.getCause(), true);
                    }
                    report(calls.get(i), result, events);
                    results.add(result);
                }
            }
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new CancelledException("cancelled while tools ran");
        }
        return results;
    }

    private static void report(ContentBlock.ToolUse call, ContentBlock.ToolResult result, Consumer<AgentEvent> events) {
        events.accept(new AgentEvent.ToolResult(call.id(), call.name(), result.content(), result.isError()));
    }

    private static Response finish(
            List<Message> added,
            StopReason reason,
            Usage total,
            int iterations,
            PendingApprovals pending,
            Consumer<AgentEvent> events) {
        events.accept(new AgentEvent.Done(reason, total));
        return new Response(added, reason, total, iterations, pending);
    }
}
