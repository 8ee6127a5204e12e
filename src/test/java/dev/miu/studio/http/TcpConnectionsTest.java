package dev.miu.studio.http;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The TCP table tells a live client from one that closed its end, over IPv4 and IPv6, as the server's side of the
 * connection sees it (its local and remote addresses).
 */
@Timeout(30)
class TcpConnectionsTest {

    @Test
    void aClosedClientLeavesTheEstablishedConnectionsOverIpv4() throws Exception {
        check(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void aClosedClientLeavesTheEstablishedConnectionsOverIpv6() throws Exception {
        InetAddress loopback6 = InetAddress.getByName("::1");
        try (var probe = new ServerSocket(0, 1, loopback6)) {
            Assumptions.assumeTrue(probe.isBound());
        } catch (IOException e) {
            Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
        }
        check(loopback6);
    }

    @Test
    void anIpv4ClientOfADualStackListenerIsFound() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/net/tcp6")), "no IPv6 table");
        try (var server = new ServerSocket()) {
            server.bind(new InetSocketAddress(0)); // the wildcard: IPv4 clients appear as ::ffff:a.b.c.d
            try (var client = new Socket(InetAddress.getByName("127.0.0.1"), server.getLocalPort());
                    var accepted = server.accept()) {
                assertEquals(
                        Optional.of(true), TcpConnections.read().orElseThrow().isEstablished(serverSide(accepted)));
            }
        }
    }

    private static void check(InetAddress address) throws Exception {
        Assumptions.assumeTrue(TcpConnections.read().isPresent(), "no TCP table on this system (not Linux)");
        try (var server = new ServerSocket(0, 1, address)) {
            var client = new Socket(address, server.getLocalPort());
            try (var accepted = server.accept()) {
                var connection = serverSide(accepted);
                assertEquals(
                        Optional.of(true), TcpConnections.read().orElseThrow().isEstablished(connection));
                client.close();
                Optional<Boolean> state = await("the client's FIN")
                        .atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(20))
                        .until(
                                () -> TcpConnections.read().orElseThrow().isEstablished(connection),
                                s -> !s.equals(Optional.of(true)));
                assertEquals(Optional.of(false), state, "the client's FIN took it out of ESTABLISHED");
            }
        }
    }

    private static TcpConnections.Connection serverSide(Socket accepted) {
        return new TcpConnections.Connection((InetSocketAddress) accepted.getLocalSocketAddress(), (InetSocketAddress)
                accepted.getRemoteSocketAddress());
    }
}
