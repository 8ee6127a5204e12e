package dev.miu.core.mcp;

import dev.miu.core.MiuVersion;
import dev.miu.core.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection to one MCP server. {@link #connect} starts the transport and runs the lifecycle handshake:
 * {@code initialize} offering {@link #LATEST_PROTOCOL_VERSION} (accepting any version in
 * {@link #SUPPORTED_PROTOCOL_VERSIONS} the server answers with), then {@code notifications/initialized}.
 * After that {@link #listTools}, {@link #callTool} and {@link #ping} may be called from any number of threads.
 * A Streamable HTTP session the server forgets is re-initialized once, transparently.
 */
public final class McpClient implements AutoCloseable {

    public static final String LATEST_PROTOCOL_VERSION = "2025-11-25";
    public static final List<String> SUPPORTED_PROTOCOL_VERSIONS =
            List.of(LATEST_PROTOCOL_VERSION, "2025-06-18", "2025-03-26", "2024-11-05");

    /**
     * How a client talks to its server.
     *
     * @param requestTimeout how long any request (a tool call included) may take
     * @param startTimeout   how long the handshake may take (a first {@code npx} run may download the server)
     */
    public record Options(Duration requestTimeout, Duration startTimeout, String clientName, String clientVersion) {
        public static final Options DEFAULT =
                new Options(Duration.ofSeconds(120), Duration.ofSeconds(60), "miu", MiuVersion.get());

        public Options {
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(startTimeout, "startTimeout");
            Objects.requireNonNull(clientName, "clientName");
            Objects.requireNonNull(clientVersion, "clientVersion");
            if (requestTimeout.isNegative()
                    || requestTimeout.isZero()
                    || startTimeout.isNegative()
                    || startTimeout.isZero()) {
                throw new IllegalArgumentException("MCP timeouts must be positive");
            }
        }

        public Options withRequestTimeout(Duration timeout) {
            return new Options(timeout, startTimeout, clientName, clientVersion);
        }
    }

    private static final System.Logger LOG = System.getLogger(McpClient.class.getName());

    private final String name;
    private final Options options;
    private final JsonRpcConnection connection;
    private final List<Runnable> toolListeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<JsonRpcMessage.Notification>> notificationListeners =
            new CopyOnWriteArrayList<>();
    private final ReentrantLock handshakeLock = new ReentrantLock();
    private volatile McpServerInfo serverInfo;
    private volatile int sessionGeneration;

    private McpClient(String name, McpTransport transport, Options options) {
        this.name = name;
        this.options = options;
        this.connection = new JsonRpcConnection(name, transport, this::onServerRequest, this::onNotification);
    }

    /**
     * A client for {@code transport} that is not connected yet: register listeners, then {@link #start}. Use this
     * instead of {@link #connect} when no notification sent right after the handshake may be missed.
     */
    public static McpClient create(String name, McpTransport transport, Options options) {
        return new McpClient(name, transport, options);
    }

    /** Builds the transport for {@code config} (stdio children start in {@code workingDir}, null for miu's own). */
    public static McpClient create(String name, McpServerConfig config, Path workingDir, Options options) {
        McpTransport transport = switch (config) {
            case McpServerConfig.Stdio stdio -> new StdioTransport(name, stdio, workingDir);
            case McpServerConfig.Http http -> new StreamableHttpTransport(name, http);
        };
        return create(name, transport, options);
    }

    /** Starts the transport and completes the handshake; on failure the transport is closed again. */
    public McpClient start() throws InterruptedException {
        try {
            connection.start();
            handshake();
            return this;
        } catch (RuntimeException | InterruptedException e) {
            connection.transport().close(Duration.ofSeconds(1));
            throw e;
        }
    }

    /** {@link #create} and {@link #start} in one step. */
    public static McpClient connect(String name, McpTransport transport, Options options) throws InterruptedException {
        return create(name, transport, options).start();
    }

    /** {@link #create} and {@link #start} in one step. */
    public static McpClient connect(String name, McpServerConfig config, Path workingDir, Options options)
            throws InterruptedException {
        return create(name, config, workingDir, options).start();
    }

    private void handshake() throws InterruptedException {
        handshakeLock.lock();
        try {
            JsonObject params = Json.object()
                    .add("protocolVersion", LATEST_PROTOCOL_VERSION)
                    // No roots, sampling or elicitation: miu answers such server requests with "method not found".
                    .add("capabilities", Json.EMPTY_OBJECT)
                    .add(
                            "clientInfo",
                            Json.object().add("name", options.clientName()).add("version", options.clientVersion()))
                    .build();
            JsonObject result = connection.request("initialize", params, options.startTimeout());
            String version = Json.string(result, "protocolVersion", null);
            if (version == null || !SUPPORTED_PROTOCOL_VERSIONS.contains(version)) {
                throw new McpException("MCP server '" + name + "' speaks protocol version " + version
                        + ", which miu does not support (supported: " + String.join(", ", SUPPORTED_PROTOCOL_VERSIONS)
                        + ")");
            }
            JsonObject info = Json.object(result, "serverInfo");
            JsonObject capabilities = Json.object(result, "capabilities");
            serverInfo = new McpServerInfo(
                    Json.string(info, "name", name),
                    Json.string(info, "version", ""),
                    version,
                    capabilities == null ? Json.EMPTY_OBJECT : capabilities,
                    Json.string(result, "instructions", null));
            connection.transport().protocolVersion(version);
            connection.notify("notifications/initialized", null);
            sessionGeneration++;
            connection.transport().ready();
        } finally {
            handshakeLock.unlock();
        }
    }

    public String name() {
        return name;
    }

    public McpServerInfo serverInfo() {
        return serverInfo;
    }

    /** Why the connection is gone, or {@code null} while it is up. */
    public McpException closedBecause() {
        return connection.closedBecause();
    }

    /** Every tool the server offers, following {@code nextCursor} through all pages. */
    public List<McpTool> listTools() throws InterruptedException {
        List<McpTool> tools = new ArrayList<>();
        Set<String> cursorsSeen = new HashSet<>();
        String cursor = null;
        do {
            JsonObject params =
                    cursor == null ? null : Json.object().add("cursor", cursor).build();
            JsonObject page = request("tools/list", params, options.requestTimeout());
            var items = Json.array(page, "tools");
            if (items == null) {
                throw new McpException("MCP server '" + name + "' answered tools/list without a \"tools\" array");
            }
            for (JsonValue item : items) {
                if (!(item instanceof JsonObject o)) {
                    throw new McpException("MCP server '" + name + "' listed a tool that is not an object");
                }
                tools.add(McpTool.fromJson(o));
            }
            cursor = Json.string(page, "nextCursor", null);
            if (cursor != null && !cursorsSeen.add(cursor)) {
                throw new McpException("MCP server '" + name + "' repeated tools/list cursor " + cursor);
            }
        } while (cursor != null);
        return tools;
    }

    public McpToolResult callTool(String tool, JsonObject arguments) throws InterruptedException {
        return callTool(tool, arguments, options.requestTimeout());
    }

    /**
     * Calls {@code tool}. A tool that ran and failed is a result with {@code isError}; a protocol error (unknown
     * tool, bad arguments), a timeout or a lost connection is an {@link McpException}.
     */
    public McpToolResult callTool(String tool, JsonObject arguments, Duration timeout) throws InterruptedException {
        JsonObject params = Json.object()
                .add("name", tool)
                .add("arguments", arguments == null ? Json.EMPTY_OBJECT : arguments)
                .build();
        return McpToolResult.fromJson(request("tools/call", params, timeout));
    }

    /** Checks the server still answers. */
    public void ping() throws InterruptedException {
        request("ping", null, options.requestTimeout());
    }

    /** Runs {@code listener} (on its own thread) whenever the server says its tool list changed. */
    public void onToolsChanged(Runnable listener) {
        toolListeners.add(listener);
    }

    /** Runs {@code listener} (on its own thread) for every notification the server sends (progress, log messages, ...). */
    public void onNotification(java.util.function.Consumer<JsonRpcMessage.Notification> listener) {
        notificationListeners.add(listener);
    }

    private JsonObject request(String method, JsonObject params, Duration timeout) throws InterruptedException {
        int generation = sessionGeneration;
        try {
            return connection.request(method, params, timeout);
        } catch (McpSessionExpiredException e) {
            renewSession(generation);
            return connection.request(method, params, timeout);
        }
    }

    /** Starts a new session unless another thread already replaced the one that expired. */
    private void renewSession(int expiredGeneration) throws InterruptedException {
        handshakeLock.lock();
        try {
            if (sessionGeneration == expiredGeneration) {
                LOG.log(System.Logger.Level.INFO, "MCP server ''{0}'' lost its session; initializing a new one", name);
                handshake();
            }
        } finally {
            handshakeLock.unlock();
        }
    }

    private JsonObject onServerRequest(String method, JsonObject params) {
        throw new McpException("miu does not support " + method, JsonRpcMessage.ErrorResponse.METHOD_NOT_FOUND, null);
    }

    private void onNotification(JsonRpcMessage.Notification notification) {
        notificationListeners.forEach(l -> l.accept(notification));
        switch (notification.method()) {
            case "notifications/tools/list_changed" -> toolListeners.forEach(Runnable::run);
            case "notifications/message" ->
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "[mcp {0}] {1}",
                        name,
                        notification.params() == null ? "" : Json.write(notification.params()));
            default ->
                LOG.log(System.Logger.Level.TRACE, "MCP server ''{0}'': ignored {1}", name, notification.method());
        }
    }

    @Override
    public void close() {
        connection.transport().close(Duration.ofSeconds(2));
    }
}
