package dev.miu.studio;

import dev.miu.config.MiuConfig;
import dev.miu.config.ServerSettings;
import dev.miu.core.ConfigurationException;
import dev.miu.studio.http.AllowedHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code server.allowed-hosts} and {@code MIU_ALLOWED_HOSTS}: read once, defaults by the bound address, bad entries named. */
class AllowedHostsConfigTest {

    @TempDir
    Path dir;

    @Test
    void appYamlListsHostsAndTheEnvironmentReplacesThem() throws Exception {
        Path yaml = dir.resolve("app.yaml");
        Files.writeString(yaml, """
                server:
                  allowed-hosts: [studio.example.com, .corp.example]
                data-dir: %s
                """.formatted(dir.resolve("data")));
        assertEquals(
                List.of("studio.example.com", ".corp.example"),
                MiuConfig.load(yaml, Map.of()).server().allowedHosts());
        assertEquals(
                List.of("a.example", "b.example"),
                MiuConfig.load(yaml, Map.of("MIU_ALLOWED_HOSTS", " a.example , b.example "))
                        .server()
                        .allowedHosts());
        assertEquals(
                List.of(),
                MiuConfig.load(null, Map.of("MIU_DATA_DIR", dir.toString()))
                        .server()
                        .allowedHosts(),
                "none configured: the defaults only");
    }

    @Test
    void theDefaultsAreLoopbackNamesAddressesAndTheBoundName() {
        AllowedHosts loopback = AllowedHosts.of(server("127.0.0.1"));
        for (String ok : List.of(
                "localhost", "localhost:8000", "ui.localhost", "127.0.0.1:8000", "[::1]:8000", "192.168.1.20")) {
            assertTrue(loopback.allows(Optional.of(ok)), ok);
        }
        assertFalse(loopback.allows(Optional.of("attacker.example")));
        assertTrue(loopback.allows(Optional.empty()), "no Host header (HTTP/1.0): not a browser");

        AllowedHosts named = AllowedHosts.of(server("127.0.0.1").withHost("box.lan"));
        assertTrue(named.allows(Optional.of("BOX.lan:8000")), "--host names the server, so that name is its own");
        assertFalse(named.allows(Optional.of("other.lan")));
        assertTrue(AllowedHosts.of(server("0.0.0.0")).allows(Optional.of("10.0.0.5:8000")), "reached by its address");
    }

    @Test
    void configuredNamesDomainsAndStar() {
        AllowedHosts hosts = AllowedHosts.of(server("127.0.0.1")
                .withAllowedHosts(List.of("Studio.Example.com:443", ".corp.example", "*.team.example")));
        assertTrue(hosts.allows(Optional.of("studio.example.com")));
        assertFalse(hosts.allows(Optional.of("x.studio.example.com")), "a plain name is exact");
        assertTrue(hosts.allows(Optional.of("corp.example")));
        assertTrue(hosts.allows(Optional.of("a.b.corp.example:8443")));
        assertTrue(hosts.allows(Optional.of("ci.team.example")));
        assertFalse(hosts.allows(Optional.of("evilcorp.example")));
        assertEquals("localhost, IP addresses, studio.example.com, *.corp.example, *.team.example", hosts.describe());

        AllowedHosts any = AllowedHosts.of(server("127.0.0.1").withAllowedHosts(List.of("*")));
        assertTrue(any.allows(Optional.of("whatever.example")));
        assertEquals("any host", any.describe());
    }

    @Test
    void aBadEntryIsNamed() {
        var e = assertThrows(
                ConfigurationException.class,
                () -> AllowedHosts.of(server("127.0.0.1").withAllowedHosts(List.of("http://studio.example.com/"))));
        assertTrue(
                e.getMessage().contains("server.allowed-hosts")
                        && e.getMessage().contains("http://studio.example.com/"),
                e.getMessage());
    }

    private static ServerSettings server(String host) {
        return new ServerSettings(host, 8000, null, List.of(), 1024 * 1024);
    }
}
