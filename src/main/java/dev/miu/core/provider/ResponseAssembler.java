package dev.miu.core.provider;

import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.tool.UnparseableArguments;
import jakarta.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds a {@link ModelResponse} from {@link StreamEvent}s: consecutive text deltas form one text block,
 * tool-input fragments are joined per tool call and parsed once the turn stops. Also forwards each event.
 */
public final class ResponseAssembler implements Consumer<StreamEvent> {

    private final Consumer<StreamEvent> downstream;
    private final List<Object> parts = new ArrayList<>(); // StringBuilder (text) or PendingToolUse, in order
    private final Map<String, PendingToolUse> toolUses = new LinkedHashMap<>();
    private String model;
    private Usage usage = Usage.ZERO;
    private StopReason stopReason;
    private boolean producedOutput;

    public ResponseAssembler(String requestedModel, Consumer<StreamEvent> downstream) {
        this.model = requestedModel;
        this.downstream = downstream;
    }

    @Override
    @SuppressWarnings("UnnecessaryStringBuilder") // the builders are kept and appended to as text deltas arrive
    public void accept(StreamEvent event) {
        switch (event) {
            case StreamEvent.Start s -> {
                if (s.model() != null && !s.model().isBlank()) {
                    model = s.model();
                }
                if (s.usage() != null) {
                    usage = s.usage();
                }
            }
            case StreamEvent.TextDelta t -> {
                if (t.text().isEmpty()) {
                    return;
                }
                if (parts.isEmpty() || !(parts.getLast() instanceof StringBuilder)) {
                    parts.add(new StringBuilder());
                }
                ((StringBuilder) parts.getLast()).append(t.text());
            }
            case StreamEvent.ToolUseStart u -> {
                var pending = new PendingToolUse(u.id(), u.name());
                toolUses.put(u.id(), pending);
                parts.add(pending);
            }
            case StreamEvent.ToolInputDelta d -> {
                PendingToolUse pending = toolUses.get(d.id());
                if (pending == null) {
                    throw new ProviderException("stream", 0, "Tool input for unknown tool call " + d.id(), false);
                }
                pending.json.append(d.partialJson());
            }
            case StreamEvent.Stop s -> {
                stopReason = s.reason();
                if (s.usage() != null) {
                    usage = s.usage();
                }
            }
        }
        producedOutput = true;
        downstream.accept(event);
    }

    /** True once any event has been passed on: from then on a failed call must not be retried. */
    public boolean producedOutput() {
        return producedOutput;
    }

    public boolean stopped() {
        return stopReason != null;
    }

    public ModelResponse response() {
        if (stopReason == null) {
            throw new ProviderException("stream", 0, "The model's stream ended before it said it was done", false);
        }
        List<ContentBlock> blocks = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof StringBuilder text) {
                blocks.add(new ContentBlock.Text(text.toString()));
            } else if (part instanceof PendingToolUse tool) {
                blocks.add(new ContentBlock.ToolUse(tool.id, tool.name, tool.input()));
            }
        }
        StopReason reason = stopReason;
        if (reason == StopReason.END_TURN && !toolUses.isEmpty()) {
            reason = StopReason.TOOL_USE; // some OpenAI-compatible servers say "stop" after tool calls
        }
        return new ModelResponse(model, blocks, reason, usage);
    }

    private static final class PendingToolUse {
        final String id;
        final String name;
        final StringBuilder json = new StringBuilder();

        PendingToolUse(String id, String name) {
            this.id = id;
            this.name = name;
        }

        /** The parsed arguments; text that is not a JSON object becomes an {@link UnparseableArguments} marker. */
        JsonObject input() {
            String text = json.toString().strip();
            if (text.isEmpty()) {
                return Json.EMPTY_OBJECT;
            }
            try {
                return Json.parseObject(text);
            } catch (IllegalArgumentException e) {
                return new UnparseableArguments(text).asInput();
            }
        }
    }
}
