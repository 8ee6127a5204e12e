package dev.miu.core.http;

import java.io.IOException;
import java.net.URI;

/**
 * The server answered with a redirect, which the client does not follow: a provider or MCP URL that moved is to be
 * corrected where it is configured (following it would send the API key to wherever the answer points).
 */
public final class RedirectException extends IOException {

    private final int status;
    private final String location;

    RedirectException(HttpRequest request, int status, String location) {
        super("HTTP " + status + " redirect from " + request + " to " + shown(location)
                + " refused: miu does not follow redirects; use the new URL in the configuration");
        this.status = status;
        this.location = location;
    }

    public int status() {
        return status;
    }

    /** The {@code Location} header as sent, or null when there was none. */
    public String location() {
        return location;
    }

    /** The Location without user-info or query, which may hold secrets; relative ones as they are. */
    private static String shown(String location) {
        if (location == null || location.isBlank()) {
            return "(no Location header)";
        }
        try {
            URI uri = new URI(location.strip());
            String text = uri.getScheme() == null
                    ? uri.getRawPath()
                    : uri.getScheme() + "://" + (uri.getHost() == null ? "" : uri.getHost())
                            + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                            + (uri.getRawPath() == null ? "" : uri.getRawPath());
            return HeadReader.printable(text + (uri.getRawQuery() != null ? "?…" : ""));
        } catch (java.net.URISyntaxException e) {
            return HeadReader.printable(location);
        }
    }
}
