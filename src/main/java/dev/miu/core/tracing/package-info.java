/**
 * OpenTelemetry tracing with the GenAI semantic conventions: {@code invoke_agent}, {@code chat} and
 * {@code execute_tool} spans, W3C trace-context propagation on outgoing calls, OTLP/HTTP export, and a bounded
 * in-memory store of recent traces for the studio's trace view. Off by default, then it is OpenTelemetry's no-op.
 */
package dev.miu.core.tracing;
