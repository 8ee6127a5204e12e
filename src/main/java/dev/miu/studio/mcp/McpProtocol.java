package dev.miu.studio.mcp;

import dev.miu.core.mcp.McpClient;

import java.util.List;

/** The MCP protocol versions miu serves, and how a client's requested version is negotiated. */
public final class McpProtocol {

    /** Newest first; the same set miu's own client speaks. */
    public static final List<String> SUPPORTED = McpClient.SUPPORTED_PROTOCOL_VERSIONS;

    public static final String LATEST = McpClient.LATEST_PROTOCOL_VERSION;

    /** Since this version tools carry {@code title} and {@code outputSchema}, and results {@code structuredContent}. */
    private static final String STRUCTURED_SINCE = "2025-06-18";

    private McpProtocol() {}

    /** The version to answer {@code initialize} with: the client's when miu knows it, else miu's newest. */
    public static String negotiate(String requested) {
        return requested != null && SUPPORTED.contains(requested) ? requested : LATEST;
    }

    public static boolean isSupported(String version) {
        return SUPPORTED.contains(version);
    }

    /** Whether {@code version} (a supported one; they are ISO dates) has structured tool output. */
    static boolean structured(String version) {
        return version.compareTo(STRUCTURED_SINCE) >= 0;
    }
}
