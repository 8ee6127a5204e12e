package dev.miu.studio.http;

import dev.miu.studio.StudioException;
import dev.miu.studio.session.SessionApprovals.Decider;
import io.helidon.common.socket.PeerInfo;
import jakarta.json.JsonObject;

import java.net.InetSocketAddress;

/**
 * Who decides a waiting call, for the approvals audit: how the decision came, the client's address as this server
 * saw the connection (a proxy in front shows as itself: forwarded headers are anyone's to write), and the optional
 * name the person gives as {@code decided_by} in the request.
 */
final class Deciders {

    static final String FIELD = "decided_by";
    static final int MAX_USER = 200;

    private Deciders() {}

    /** Who decides through {@code via} over {@code peer}'s connection; {@code user} as {@link #user} read it. */
    static Decider of(Decider.Via via, PeerInfo peer, String user) {
        return new Decider(via, address(peer), user);
    }

    /** {@code decided_by}: trimmed, null when absent or blank; 422 when not a short line of text. */
    static String user(JsonObject body) {
        String given = Fields.optionalString(body, FIELD, Integer.MAX_VALUE); // the body limit bounds it
        if (given == null || given.isBlank()) {
            return null;
        }
        String user = given.strip();
        if (user.length() > MAX_USER) {
            throw StudioException.unprocessable("'" + FIELD + "' is longer than " + MAX_USER + " characters");
        }
        if (user.codePoints().anyMatch(Character::isISOControl)) {
            throw StudioException.unprocessable("'" + FIELD + "' must not contain control characters");
        }
        return user;
    }

    /** The peer's IP address, or null when it has none (not an IP connection). */
    private static String address(PeerInfo peer) {
        return peer.address() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress()
                : null;
    }
}
