package dev.miu.core.a2a;

import java.net.URI;
import java.util.Objects;

/**
 * A remote A2A agent as its card describes it.
 *
 * @param card        where the card was read
 * @param endpoint    its JSON-RPC 1.0 URL
 * @param description what it is for, with its skills' names
 */
public record RemoteAgent(URI card, String name, String description, URI endpoint) {
    public RemoteAgent {
        Objects.requireNonNull(card, "card");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
