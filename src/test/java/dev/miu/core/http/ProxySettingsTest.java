package dev.miu.core.http;

import dev.miu.core.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read and which hosts they send through a proxy. */
class ProxySettingsTest {

    @Test
    void eachSchemeHasItsProxyLowerCaseWinningAndTheSchemeMayBeLeftOut() {
        var settings = ProxySettings.fromEnvironment(Map.of(
                "HTTPS_PROXY", "http://upper:1", "https_proxy", "lower.corp:3128", "HTTP_PROXY", "http://plain.corp"));
        assertEquals(new ProxySettings.Proxy("lower.corp", 3128, null), settings.proxyFor("api.anthropic.com", true));
        assertEquals(new ProxySettings.Proxy("plain.corp", 80, null), settings.proxyFor("api.anthropic.com", false));
        assertNull(
                ProxySettings.fromEnvironment(Map.of("HTTP_PROXY", "http://p:1"))
                        .proxyFor("api.openai.com", true),
                "HTTP_PROXY is not used for https URLs");
        assertEquals(ProxySettings.NONE, ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", "  ")));
    }

    @Test
    void userInfoBecomesBasicCredentialsThatNoMessageShows() {
        var settings =
                ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", "http://corp%5Calice:p%40ss+w0rd@proxy.corp:8080"));
        ProxySettings.Proxy proxy = settings.proxyFor("api.openai.com", true);
        String expected =
                "Basic " + Base64.getEncoder().encodeToString("corp\\alice:p@ss+w0rd".getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, proxy.authorization());
        assertEquals("proxy.corp:8080", proxy.toString());
        assertFalse(settings.toString().contains("w0rd"), settings.toString());
        assertFalse(settings.toString().contains(proxy.authorization()), settings.toString());
    }

    @Test
    void aProxyMiuCannotSpeakToIsAClearConfigurationError() {
        var socks = assertThrows(
                ConfigurationException.class,
                () -> ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", "socks5://user:secret@proxy:1080")));
        assertTrue(
                socks.getMessage().contains("HTTPS_PROXY") && socks.getMessage().contains("socks5"),
                socks.getMessage());
        assertFalse(socks.getMessage().contains("secret"), socks.getMessage());
        assertThrows(
                ConfigurationException.class, () -> ProxySettings.fromEnvironment(Map.of("HTTP_PROXY", "http://")));
    }

    @Test
    void noProxyMatchesDomainsAndTheirSubdomainsHostsAddressesAndRanges() {
        var settings = ProxySettings.fromEnvironment(
                Map.of(
                        "HTTPS_PROXY",
                        "proxy:3128",
                        "NO_PROXY",
                        " example.com, .internal.corp,*.svc.local ,10.0.0.0/8, 192.168.1.7, fd00::/8, ollama:11434, [2001:db8::1]"));
        assertEquals(
                List.of(
                        "example.com",
                        ".internal.corp",
                        "*.svc.local",
                        "10.0.0.0/8",
                        "192.168.1.7",
                        "fd00::/8",
                        "ollama:11434",
                        "[2001:db8::1]"),
                settings.noProxy());
        for (String direct : List.of(
                "example.com",
                "API.Example.com",
                "example.com.",
                "git.internal.corp",
                "internal.corp",
                "a.svc.local",
                "10.1.2.3",
                "192.168.1.7",
                "[fd00::5]",
                "ollama",
                "[2001:db8::1]")) {
            assertNull(settings.proxyFor(direct, true), direct + " is reached directly");
        }
        for (String proxied : List.of(
                "notexample.com",
                "example.com.evil.net",
                "corp",
                "192.168.1.8",
                "11.0.0.1",
                "api.anthropic.com",
                "[2001:db8::2]")) {
            assertEquals("proxy", settings.proxyFor(proxied, true).host(), proxied + " goes through the proxy");
        }
    }

    @Test
    void aStarTurnsTheProxyOffAndThisMachineIsNeverProxied() {
        var all = ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", "proxy:3128", "no_proxy", "*"));
        assertNull(all.proxyFor("api.anthropic.com", true));
        var none = ProxySettings.fromEnvironment(Map.of("HTTP_PROXY", "proxy:3128"));
        for (String local :
                List.of("localhost", "LOCALHOST", "app.localhost", "127.0.0.1", "127.1.2.3", "[::1]", "::1")) {
            assertNull(none.proxyFor(local, false), local);
        }
        assertSame(none.http(), none.proxyFor("0.0.0.0", false), "only loopback is implied");
    }
}
