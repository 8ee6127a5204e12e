package dev.miu.core.provider;

import dev.miu.core.message.Message;
import dev.miu.core.provider.anthropic.AnthropicProvider;
import dev.miu.core.provider.openai.OpenAiProvider;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class RetryTest {

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    static ModelRequest request() {
        return new ModelRequest("m", null, List.of(Message.user("hi")), List.of(), 64, null);
    }

    @Test
    void rateLimitedCallIsRetriedAfterTheServersRetryAfter() {
        var provider = new AnthropicProvider(ScriptedLlmServer.API_KEY, llm.baseUrl(), TestOptions.FAST);
        llm.enqueue(Reply.status(429, "Slow down", Map.of("retry-after", "1")), Reply.text("ok"));
        long start = System.nanoTime();
        assertEquals("ok", provider.complete(request()).text());
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(2, llm.requestCount());
        assertTrue(elapsedMs >= 950, "waited for retry-after: " + elapsedMs + " ms");
    }

    @Test
    void serverErrorsAreRetriedTwiceThenGivenUpWithTheProvidersMessage() {
        var provider = new OpenAiProvider("openai", ScriptedLlmServer.API_KEY, llm.openAiBaseUrl(), TestOptions.FAST);
        llm.enqueue(
                Reply.status(500, "internal one"),
                Reply.status(529, "overloaded two"),
                Reply.status(503, "unavailable three"));
        var e = assertThrows(ProviderException.class, () -> provider.stream(request(), ev -> {}));
        assertEquals(3, llm.requestCount(), "one call and two retries");
        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("unavailable three"), e.getMessage());
        assertTrue(e.retryable());
    }

    @Test
    void aRedirectIsNotFollowedNorRetriedAndItsLocationIsNamed() {
        var provider = new AnthropicProvider(ScriptedLlmServer.API_KEY, llm.baseUrl(), TestOptions.FAST);
        llm.enqueue(Reply.status(308, "moved", Map.of("location", "https://new.example.com/v1/messages")));
        var e = assertThrows(ProviderException.class, () -> provider.complete(request()));
        assertEquals(1, llm.requestCount(), "the API key is not sent on to wherever the redirect points");
        assertEquals(308, e.status());
        assertFalse(e.retryable());
        assertTrue(
                e.getMessage().contains("HTTP 308") && e.getMessage().contains("https://new.example.com/v1/messages"),
                e.getMessage());
    }

    @Test
    void aServerErrorFollowedBySuccessRecovers() {
        var provider = new AnthropicProvider(ScriptedLlmServer.API_KEY, llm.baseUrl(), TestOptions.FAST);
        llm.enqueue(Reply.status(529, "Overloaded"), Reply.text("recovered"));
        List<StreamEvent> events = new ArrayList<>();
        assertEquals("recovered", provider.stream(request(), events::add).text());
        assertEquals(2, llm.requestCount());
    }

    @Test
    void clientErrorsAreNotRetried() {
        var provider = new AnthropicProvider(ScriptedLlmServer.API_KEY, llm.baseUrl(), TestOptions.FAST);
        llm.enqueue(Reply.status(400, "bad request"));
        assertThrows(ProviderException.class, () -> provider.complete(request()));
        assertEquals(1, llm.requestCount());
    }

    @Test
    void aStreamThatDropsAfterOutputIsNotRetried() {
        var provider = new AnthropicProvider(ScriptedLlmServer.API_KEY, llm.baseUrl(), TestOptions.FAST);
        llm.enqueue(new Reply.Truncated(List.of(new Reply.Text("half an answer"))));
        List<StreamEvent> events = new ArrayList<>();
        assertThrows(ProviderException.class, () -> provider.stream(request(), events::add));
        assertEquals(1, llm.requestCount());
        assertFalse(events.isEmpty(), "the partial output was delivered before the failure");
    }

    @Test
    void connectionRefusedIsRetriedThenReported() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var provider = new AnthropicProvider("k", "http://127.0.0.1:" + port, TestOptions.FAST);
        var e = assertThrows(ProviderException.class, () -> provider.complete(request()));
        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("anthropic"), e.getMessage());
    }

    @Test
    void backoffGrowsExponentiallyWithJitterAndIsCapped() {
        RetryPolicy policy = RetryPolicy.DEFAULT;
        for (int i = 0; i < 50; i++) {
            long first = policy.backoff(1, null).toMillis();
            long second = policy.backoff(2, null).toMillis();
            long tenth = policy.backoff(10, null).toMillis();
            assertTrue(first >= 375 && first <= 500, "first " + first);
            assertTrue(second >= 750 && second <= 1000, "second " + second);
            assertTrue(tenth >= 6000 && tenth <= 8000, "capped " + tenth);
        }
    }

    @Test
    void retryAfterMsTakesPrecedenceAndAbsurdWaitsAreIgnored() {
        Map<String, String> ms = Map.of("retry-after-ms", "1234", "retry-after", "9");
        assertEquals(
                Duration.ofMillis(1234),
                RetryPolicy.DEFAULT.backoff(1, name -> java.util.Optional.ofNullable(ms.get(name))));
        Map<String, String> huge = Map.of("retry-after", "3600");
        assertTrue(RetryPolicy.DEFAULT
                        .backoff(1, name -> java.util.Optional.ofNullable(huge.get(name)))
                        .toMillis()
                <= 500);
        assertTrue(RetryPolicy.retryableStatus(408)
                && RetryPolicy.retryableStatus(409)
                && RetryPolicy.retryableStatus(529));
        assertFalse(RetryPolicy.retryableStatus(400) || RetryPolicy.retryableStatus(404));
    }
}
