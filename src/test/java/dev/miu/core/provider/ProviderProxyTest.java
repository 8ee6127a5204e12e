package dev.miu.core.provider;

import dev.miu.core.message.Message;
import dev.miu.testing.RecordingProxy;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import dev.miu.testing.TestCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Provider calls behind a company proxy, configured as users do: HTTPS_PROXY / HTTP_PROXY in the environment. The
 * provider's host, {@code provider.test}, resolves only at the proxy ({@link RecordingProxy}), so an answer proves
 * the call went through it; over https the certificate is still checked for that name, end to end.
 */
@Timeout(30)
class ProviderProxyTest {

    @TempDir
    static Path dir;

    static TestCertificate certificate;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = TestCertificate.forHost(dir, "provider.test");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private static ModelRequest request() {
        return new ModelRequest("m", null, List.of(Message.user("hi")), List.of(), 64, null);
    }

    private <T extends AutoCloseable> T closing(T resource) {
        toClose.add(resource);
        return resource;
    }

    @Test
    void anthropicOverHttpsGoesThroughTheProxysConnectTunnelWithItsCredentials() throws Exception {
        var llm = closing(ScriptedLlmServer.start(certificate.server()));
        String basic =
                "Basic " + Base64.getEncoder().encodeToString("alice:p@ss:w0rd".getBytes(StandardCharsets.UTF_8));
        var proxy = closing(RecordingProxy.start(basic));
        Map<String, String> env = new HashMap<>();
        env.put("ANTHROPIC_API_KEY", ScriptedLlmServer.API_KEY);
        env.put("ANTHROPIC_BASE_URL", "https://provider.test:" + llm.port());
        env.put("HTTPS_PROXY", "http://alice:p%40ss%3Aw0rd@127.0.0.1:" + proxy.port());
        ProviderSettings settings = ProviderSettings.fromEnvironment(env);
        assertFalse(settings.toString().contains("w0rd"), "the proxy password stays out of messages: " + settings);

        Provider provider = new Providers(settings, TestOptions.FAST.withTls(certificate.trusting()))
                .create(new ModelSpec("anthropic", "m"));
        llm.enqueue(Reply.text("through the tunnel"), Reply.text("streamed through it"));
        assertEquals("through the tunnel", provider.complete(request()).text());
        List<StreamEvent> events = new ArrayList<>();
        assertEquals(
                "streamed through it", provider.stream(request(), events::add).text());
        assertTrue(events.stream().anyMatch(StreamEvent.TextDelta.class::isInstance), "deltas arrived: " + events);
        llm.assertAllConsumed();

        String target = "CONNECT provider.test:" + llm.port() + " HTTP/1.1";
        assertEquals(
                List.of(new RecordingProxy.Seen(target, basic)),
                proxy.seen(),
                "one tunnel, kept alive for both calls, opened with the user's credentials");
        assertEquals(ScriptedLlmServer.API_KEY, llm.lastRequest().header("x-api-key"));
        assertEquals(null, llm.lastRequest().header("proxy-authorization"), "proxy credentials stay with the proxy");
    }

    @Test
    void aProxyThatWantsCredentialsIsNamedWithoutRetryingOrLeakingThem() throws Exception {
        var llm = closing(ScriptedLlmServer.start(certificate.server()));
        var proxy = closing(RecordingProxy.start("Basic bm90IHRoaXM="));
        Map<String, String> env = Map.of(
                "ANTHROPIC_API_KEY",
                ScriptedLlmServer.API_KEY,
                "ANTHROPIC_BASE_URL",
                "https://provider.test:" + llm.port(),
                "https_proxy",
                "bob:s3cret@127.0.0.1:" + proxy.port());
        Provider provider = new Providers(
                        ProviderSettings.fromEnvironment(env), TestOptions.FAST.withTls(certificate.trusting()))
                .create(new ModelSpec("anthropic", "m"));
        var e = assertThrows(ProviderException.class, () -> provider.complete(request()));
        assertTrue(
                e.getMessage().contains("127.0.0.1:" + proxy.port())
                        && e.getMessage().contains("407"),
                e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertFalse(e.retryable());
        assertEquals(1, proxy.seen().size(), "a refusal for want of credentials is not retried");
        assertEquals(0, llm.requestCount());
    }

    @Test
    void openAiOverPlainHttpSendsTheAbsoluteUrlToTheProxy() throws Exception {
        var llm = closing(ScriptedLlmServer.start());
        var proxy = closing(RecordingProxy.start());
        Map<String, String> env = Map.of(
                "OPENAI_API_KEY",
                ScriptedLlmServer.API_KEY,
                "OPENAI_BASE_URL",
                "http://provider.test:" + llm.port() + "/v1",
                "HTTP_PROXY",
                proxy.url(),
                "HTTPS_PROXY",
                "http://127.0.0.1:1");
        Provider provider = new Providers(ProviderSettings.fromEnvironment(env), TestOptions.FAST)
                .create(new ModelSpec("openai", "m"));
        llm.enqueue(Reply.text("plain through the proxy"), Reply.text("and streamed"));
        assertEquals("plain through the proxy", provider.complete(request()).text());
        assertEquals("and streamed", provider.stream(request(), e -> {}).text());
        llm.assertAllConsumed();
        assertEquals(
                List.of(new RecordingProxy.Seen(
                        "POST http://provider.test:" + llm.port() + "/v1/chat/completions HTTP/1.1", null)),
                proxy.seen(),
                "the proxy got the absolute URL; the second call reused the connection");
        assertEquals("provider.test:" + llm.port(), llm.lastRequest().header("host"));
    }

    @Test
    void ollamaOnThisMachineAndNoProxyHostsAreReachedDirectly() throws Exception {
        var llm = closing(ScriptedLlmServer.start());
        var proxy = closing(RecordingProxy.start());
        Map<String, String> env = Map.of("OLLAMA_HOST", "127.0.0.1:" + llm.port(), "HTTP_PROXY", proxy.url());
        Provider ollama = new Providers(ProviderSettings.fromEnvironment(env), TestOptions.FAST)
                .create(new ModelSpec("ollama", "llama3.2"));
        llm.enqueue(Reply.text("local"));
        assertEquals("local", ollama.complete(request()).text());
        assertEquals(List.of(), proxy.seen(), "a proxy cannot reach this machine's own servers");
        llm.assertAllConsumed();
    }
}
