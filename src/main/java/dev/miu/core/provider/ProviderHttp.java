package dev.miu.core.provider;

import dev.miu.core.CancelledException;
import dev.miu.core.http.HttpRequest;
import dev.miu.core.http.HttpResponse;
import dev.miu.core.http.KeepAliveHttpClient;
import dev.miu.core.http.ProxyException;
import dev.miu.core.http.RedirectException;
import dev.miu.core.tracing.Tracing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Sends a provider's HTTP requests with retries, timeouts and error translation. A request is retried on
 * connection errors and retryable statuses until {@link RetryPolicy#maxRetries()} is spent, but never once the
 * body reader has passed output on: a half-streamed answer is not repeated.
 */
public final class ProviderHttp {

    /** Reads a successful response body into a result. */
    @FunctionalInterface
    public interface BodyReader<T> {
        T read(InputStream body) throws IOException;
    }

    /** Turns a plain (non-streaming) response body into the stream events it stands for. */
    @FunctionalInterface
    public interface Replay {
        void replay(jakarta.json.JsonObject body, java.util.function.Consumer<StreamEvent> events);
    }

    /** Reads a streamed response body, passing events on as they arrive. */
    @FunctionalInterface
    public interface StreamParser {
        void read(InputStream body, java.util.function.Consumer<StreamEvent> events) throws IOException;
    }

    private static final System.Logger LOG = System.getLogger(ProviderHttp.class.getName());
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** Idle connections kept per origin: enough for the studio's concurrent turns to reuse theirs. */
    private static final int MAX_IDLE_CONNECTIONS = 512;

    private final String provider;
    private final KeepAliveHttpClient client;
    private final RetryPolicy retry;
    private final Function<String, String> errorMessage;

    /**
     * @param errorMessage extracts the provider's own message from an error body (returns null if it cannot)
     */
    public ProviderHttp(String provider, ProviderOptions options, Function<String, String> errorMessage) {
        this.provider = provider;
        this.client = new KeepAliveHttpClient(
                options.connectTimeout(), options.readTimeout(), MAX_IDLE_CONNECTIONS, options.tls(), options.proxy());
        this.retry = options.retry();
        this.errorMessage = errorMessage;
    }

    /** A plain call: the JSON body is replayed as events into a {@link ResponseAssembler}, the one assembly path. */
    public ModelResponse complete(HttpRequest request, String model, Replay replay) {
        return execute(
                request,
                in -> {
                    var assembler = new ResponseAssembler(model, e -> {});
                    replay.replay(readJson(in), assembler);
                    return assembler.response();
                },
                () -> false);
    }

    /** A call whose answer is one JSON object (embeddings, for one), with the same retries and errors. */
    public jakarta.json.JsonObject postForJson(HttpRequest request) {
        return execute(request, ProviderHttp::readJson, () -> false);
    }

    private static jakarta.json.JsonObject readJson(InputStream in) throws IOException {
        return dev.miu.core.json.Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    /** A streamed call: events go to {@code events} as they arrive; no retry once one has been passed on. */
    public ModelResponse stream(
            HttpRequest request, String model, java.util.function.Consumer<StreamEvent> events, StreamParser parser) {
        var current = new java.util.concurrent.atomic.AtomicReference<ResponseAssembler>();
        return execute(
                request,
                in -> {
                    var assembler = new ResponseAssembler(model, events);
                    current.set(assembler);
                    parser.read(in, assembler);
                    return assembler.response();
                },
                () -> current.get() != null && current.get().producedOutput());
    }

    /**
     * Sends {@code request} and reads the body with {@code reader}.
     *
     * @param producedOutput tells whether the reader has passed anything on, after which no retry happens
     */
    public <T> T execute(HttpRequest request, BodyReader<T> reader, BooleanSupplier producedOutput) {
        int attempt = 0;
        while (true) {
            attempt++;
            boolean lastAttempt = attempt > retry.maxRetries();
            HttpResponse response;
            try {
                response = client.send(traced(request));
            } catch (RedirectException e) {
                throw new ProviderException(provider, e.status(), provider + ": " + e.getMessage(), false, e);
            } catch (ProxyException e) {
                boolean retryable = RetryPolicy.retryableStatus(e.status());
                if (!retryable || lastAttempt) {
                    throw new ProviderException(provider, 0, provider + ": " + e.getMessage(), retryable, e);
                }
                sleepBeforeRetry(attempt, null, "request failed (" + e.getMessage() + ")");
                continue;
            } catch (IOException e) {
                throwIfCancelled(e);
                String reason = describe(e);
                if (lastAttempt) {
                    throw new ProviderException(provider, 0, provider + ": " + reason, true, e);
                }
                sleepBeforeRetry(attempt, null, "request failed (" + reason + ")");
                continue;
            }

            int status = response.status();
            if (status >= 400) {
                String message = readError(response);
                boolean retryable = RetryPolicy.retryableStatus(status);
                if (retryable && !lastAttempt) {
                    sleepBeforeRetry(attempt, response::header, "HTTP " + status);
                    continue;
                }
                throw new ProviderException(
                        provider, status, provider + " returned HTTP " + status + ": " + message, retryable);
            }

            try (response;
                    InputStream body = response.body()) {
                return reader.read(body);
            } catch (IllegalArgumentException e) {
                throw new ProviderException(
                        provider,
                        status,
                        provider + " sent a response miu could not read: " + e.getMessage(),
                        false,
                        e);
            } catch (IOException e) {
                throwIfCancelled(e);
                String reason = describe(e);
                if (lastAttempt || producedOutput.getAsBoolean()) {
                    throw new ProviderException(provider, 0, provider + ": " + reason, true, e);
                }
                sleepBeforeRetry(attempt, null, "request failed (" + reason + ")");
            }
        }
    }

    /** Adds the current trace context ({@code traceparent}) when tracing is on. */
    private static HttpRequest traced(HttpRequest request) {
        Tracing tracing = Tracing.current();
        if (!tracing.enabled()) {
            return request;
        }
        HttpRequest[] traced = {request};
        tracing.inject((name, value) -> traced[0] = traced[0].withHeader(name, value));
        return traced[0];
    }

    /** An interrupt closes the socket, which surfaces as an IOException; it is a cancellation, not a network failure. */
    private void throwIfCancelled(IOException e) {
        if (Thread.currentThread().isInterrupted()
                || e.getCause() instanceof InterruptedException
                || e instanceof java.io.InterruptedIOException) {
            Thread.currentThread().interrupt();
            throw new CancelledException(provider + " call cancelled");
        }
    }

    private void sleepBeforeRetry(int attempt, Function<String, java.util.Optional<String>> headers, String reason) {
        Duration wait = retry.backoff(attempt, headers);
        // one line a user reads as it happens: "anthropic HTTP 500, retrying in 0.6 s (1/2)"
        LOG.log(
                System.Logger.Level.INFO,
                () -> String.format(
                        java.util.Locale.ROOT,
                        "%s %s, retrying in %.1f s (%d/%d)",
                        provider,
                        reason,
                        wait.toMillis() / 1000.0,
                        attempt,
                        retry.maxRetries()));
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException(provider + " call cancelled");
        }
    }

    private String readError(HttpResponse response) {
        String body;
        try (response;
                InputStream in = response.body()) {
            body = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        } catch (IOException e) {
            body = "";
        }
        String message = null;
        try {
            message = errorMessage.apply(body);
        } catch (RuntimeException ignored) {
            // not the provider's JSON error shape; fall back to the raw body
        }
        if (message == null || message.isBlank()) {
            message = body.isBlank() ? "(no error message)" : body.strip();
            if (message.length() > 500) {
                message = message.substring(0, 500) + "…";
            }
        }
        return message;
    }

    private String describe(IOException e) {
        String m = e.getMessage();
        return (m == null || m.isBlank()) ? e.getClass().getSimpleName() : m;
    }
}
