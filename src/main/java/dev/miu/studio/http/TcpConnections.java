package dev.miu.studio.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The machine's TCP connections as Linux lists them in {@code /proc/net/tcp} and {@code /proc/net/tcp6}: which are
 * established, and which ports listen. A server blocked in a request handler reads nothing from its client, so
 * this table is how it learns that the client closed its end (the connection leaves {@code ESTABLISHED}: the peer's
 * FIN makes it {@code CLOSE_WAIT}, a reset removes it). Elsewhere (no such files) there is nothing to read.
 *
 * @param established every established connection, as (local, remote) addresses
 * @param listening   the ports something listens on
 */
record TcpConnections(Set<Connection> established, Set<Integer> listening) {

    /** One connection by its two ends. */
    record Connection(InetSocketAddress local, InetSocketAddress remote) {}

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String ESTABLISHED = "01";
    private static final String LISTEN = "0A";

    /** Reads the tables now; empty when this system has none to read. */
    static Optional<TcpConnections> read() {
        Set<Connection> established = new HashSet<>();
        Set<Integer> listening = new HashSet<>();
        boolean any = false;
        for (Path table : TABLES) {
            try (Stream<String> lines = Files.lines(table)) {
                lines.skip(1).forEach(line -> add(line, established, listening));
                any = true;
            } catch (IOException | RuntimeException e) {
                // not Linux, or no IPv6: the other table may still be there
            }
        }
        return any ? Optional.of(new TcpConnections(established, listening)) : Optional.empty();
    }

    /**
     * Whether the client of {@code connection} is still connected, or empty when this table cannot tell: the
     * server's own listening port is not in it (another network namespace, a system without the tables).
     */
    Optional<Boolean> isEstablished(Connection connection) {
        if (!listening.contains(connection.local().getPort())) {
            return Optional.empty();
        }
        return Optional.of(established.contains(connection));
    }

    private static void add(String line, Set<Connection> established, Set<Integer> listening) {
        // "  0: 0100007F:1F40 0100007F:D2A4 01 ..." : slot, local, remote, state
        String[] fields = line.trim().split("\\s+", 5);
        if (fields.length < 4) {
            return;
        }
        String state = fields[3];
        if (LISTEN.equals(state)) {
            listening.add(port(fields[1]));
        } else if (ESTABLISHED.equals(state)) {
            established.add(new Connection(address(fields[1]), address(fields[2])));
        }
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
    }

    /** The kernel prints each 32-bit word of the address as a number in the machine's byte order. */
    private static InetSocketAddress address(String hexAddress) {
        int colon = hexAddress.indexOf(':');
        String hex = hexAddress.substring(0, colon);
        ByteBuffer bytes = ByteBuffer.allocate(hex.length() / 2).order(ByteOrder.nativeOrder());
        for (int i = 0; i < hex.length(); i += 8) {
            bytes.putInt((int) Long.parseLong(hex.substring(i, i + 8), 16));
        }
        try {
            // an IPv4 client of a dual-stack socket is listed as ::ffff:a.b.c.d; this gives back the IPv4 address
            return new InetSocketAddress(InetAddress.getByAddress(bytes.array()), port(hexAddress));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Bad address in the TCP table: " + hexAddress, e);
        }
    }
}
