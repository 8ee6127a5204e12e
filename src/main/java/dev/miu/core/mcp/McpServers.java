package dev.miu.core.mcp;

import dev.miu.core.json.Json;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolRegistry;
import jakarta.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every configured MCP server of one miu process. {@link #start} connects to all of them at once; one that fails
 * is reported in its state and the others work. Their tools are registered in every {@link ToolRegistry} handed
 * to {@link #registerInto} and kept current when a server sends {@code notifications/tools/list_changed}.
 * {@link #toJson} is the body of {@code GET /api/v1/mcp/servers}.
 */
public final class McpServers implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(McpServers.class.getName());

    /** Mutable per-server slot, guarded by {@link #lock}. */
    private static final class Slot {
        final String name;
        final McpServerConfig config;
        McpServerStatus status = McpServerStatus.STARTING;
        String error;
        McpClient client;
        List<McpToolBridge.Bridged> tools = List.of();
        /** Counts list_changed notifications, so one that arrives during start-up is not lost. */
        final java.util.concurrent.atomic.AtomicInteger changes = new java.util.concurrent.atomic.AtomicInteger();

        Slot(String name, McpServerConfig config) {
            this.name = name;
            this.config = config;
        }
    }

    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final List<ToolRegistry> registries = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Path workingDir;
    private final McpClient.Options options;

    private McpServers(Map<String, McpServerConfig> configs, Path workingDir, McpClient.Options options) {
        configs.forEach((name, config) -> slots.put(name, new Slot(name, config)));
        this.workingDir = workingDir;
        this.options = options;
    }

    /** No servers: for miu runs without MCP configuration. */
    public static McpServers none() {
        return new McpServers(Map.of(), null, McpClient.Options.DEFAULT);
    }

    /**
     * Connects to every server concurrently and lists its tools; returns when each has connected or failed
     * (each within {@code options.startTimeout()}). Never throws for a server that fails.
     *
     * @param workingDir where stdio servers start, or {@code null} for miu's own directory
     */
    public static McpServers start(Map<String, McpServerConfig> configs, Path workingDir, McpClient.Options options)
            throws InterruptedException {
        var servers = new McpServers(configs, workingDir, options);
        List<Thread> starting = new ArrayList<>();
        for (Slot slot : servers.slots.values()) {
            starting.add(Thread.ofVirtual().name("mcp-start-" + slot.name).start(() -> servers.connect(slot)));
        }
        try {
            for (Thread t : starting) {
                t.join();
            }
        } catch (InterruptedException e) {
            servers.close();
            throw e;
        }
        return servers;
    }

    private void connect(Slot slot) {
        McpClient client = null;
        try {
            client = McpClient.create(slot.name, slot.config, workingDir, options);
            McpClient connected = client;
            client.onToolsChanged(() -> {
                slot.changes.incrementAndGet();
                refresh(slot, connected);
            });
            int changesBefore = slot.changes.get();
            client.start();
            List<McpToolBridge.Bridged> tools = McpToolBridge.bridge(client, client.listTools());
            lock.lock();
            try {
                slot.client = client;
                slot.status = McpServerStatus.CONNECTED;
                slot.tools = tools;
                registries.forEach(r -> register(r, tools));
            } finally {
                lock.unlock();
            }
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "MCP server ''{0}'' connected ({1}): {2} tools",
                    slot.name,
                    client.serverInfo().protocolVersion(),
                    tools.size());
            if (slot.changes.get() != changesBefore) {
                refresh(slot, client); // the list changed while it was being read
            }
        } catch (InterruptedException e) {
            fail(slot, client, "start was interrupted");
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(
                    slot,
                    client,
                    e instanceof dev.miu.core.MiuException || e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    private void fail(Slot slot, McpClient client, String message) {
        if (client != null) {
            client.close();
        }
        lock.lock();
        try {
            slot.status = McpServerStatus.FAILED;
            slot.error = message;
        } finally {
            lock.unlock();
        }
        // The caller reports failures() to the user (stderr for the CLI); the log keeps them for debugging.
        LOG.log(System.Logger.Level.DEBUG, "MCP server ''{0}'' failed to start: {1}", slot.name, message);
    }

    /** Re-reads a server's tool list after it said the list changed, and swaps the tools in every registry. */
    private void refresh(Slot slot, McpClient client) {
        List<McpToolBridge.Bridged> tools;
        try {
            tools = McpToolBridge.bridge(client, client.listTools());
        } catch (McpException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "MCP server ''{0}'': refreshing tools failed: {1}",
                    slot.name,
                    e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        lock.lock();
        try {
            if (slot.status != McpServerStatus.CONNECTED) {
                return;
            }
            // Swap only what changed, so an agent mid-turn never misses a tool that is still there.
            Map<String, dev.miu.core.tool.ToolSpec> before = new java.util.HashMap<>();
            slot.tools.forEach(b -> before.put(b.tool().name(), b.tool().spec()));
            Map<String, dev.miu.core.tool.ToolSpec> after = new java.util.HashMap<>();
            tools.forEach(b -> after.put(b.tool().name(), b.tool().spec()));
            List<McpToolBridge.Bridged> added = tools.stream()
                    .filter(b -> !b.tool().spec().equals(before.get(b.tool().name())))
                    .toList();
            slot.tools = tools;
            for (ToolRegistry registry : registries) {
                before.forEach((name, spec) -> {
                    if (!spec.equals(after.get(name))) {
                        registry.unregister(name);
                    }
                });
                register(registry, added);
            }
        } finally {
            lock.unlock();
        }
        LOG.log(
                System.Logger.Level.DEBUG,
                "MCP server ''{0}'': tool list changed, now {1} tools",
                slot.name,
                tools.size());
    }

    private static void register(ToolRegistry registry, List<McpToolBridge.Bridged> tools) {
        for (McpToolBridge.Bridged b : tools) {
            if (registry.get(b.tool().name()).isPresent()) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "MCP tool {0} not registered: a tool with that name already exists",
                        b.tool().name());
                continue;
            }
            registry.register(b.tool());
        }
    }

    /** Adds every connected server's tools to {@code registry} and keeps them current there. */
    public ToolRegistry registerInto(ToolRegistry registry) {
        lock.lock();
        try {
            registries.add(registry);
            slots.values().forEach(slot -> register(registry, slot.tools));
        } finally {
            lock.unlock();
        }
        return registry;
    }

    /** Stops updating {@code registry} (e.g. when a session ends) and removes the MCP tools from it. */
    public void detach(ToolRegistry registry) {
        lock.lock();
        try {
            if (registries.remove(registry)) {
                slots.values()
                        .forEach(slot -> slot.tools.forEach(
                                b -> registry.unregister(b.tool().name())));
            }
        } finally {
            lock.unlock();
        }
    }

    /** The tools of every connected server, in configuration order. */
    public List<Tool> tools() {
        return states().stream()
                .flatMap(s -> s.tools().stream())
                .map(McpToolBridge.Bridged::tool)
                .toList();
    }

    /** The tools their servers mark read-only ({@code readOnlyHint}), which may run without asking the user. */
    public List<Tool> readOnlyTools() {
        return bridged()
                .filter(McpToolBridge.Bridged::readOnly)
                .map(McpToolBridge.Bridged::tool)
                .toList();
    }

    /** Every other tool: those that may change something, so they need the user's approval. */
    public List<Tool> toolsThatMayChange() {
        return bridged()
                .filter(b -> !b.readOnly())
                .map(McpToolBridge.Bridged::tool)
                .toList();
    }

    private java.util.stream.Stream<McpToolBridge.Bridged> bridged() {
        return states().stream().flatMap(s -> s.tools().stream());
    }

    /** A snapshot of every server, in configuration order. */
    public List<McpServerState> states() {
        lock.lock();
        try {
            List<McpServerState> out = new ArrayList<>();
            for (Slot slot : slots.values()) {
                McpServerStatus status = slot.status;
                String error = slot.error;
                McpException lost = slot.client == null ? null : slot.client.closedBecause();
                if (status == McpServerStatus.CONNECTED && lost != null) {
                    status = McpServerStatus.DISCONNECTED;
                    error = lost.getMessage();
                }
                out.add(new McpServerState(
                        slot.name,
                        slot.config,
                        status,
                        error,
                        slot.client == null ? null : slot.client.serverInfo(),
                        status == McpServerStatus.CONNECTED ? slot.tools : List.of()));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The servers that failed to start or lost their connection, for the start-up report. */
    public List<McpServerState> failures() {
        return states().stream()
                .filter(s -> s.status() == McpServerStatus.FAILED || s.status() == McpServerStatus.DISCONNECTED)
                .toList();
    }

    /** The client of a connected server, for calls beyond tools. */
    public java.util.Optional<McpClient> client(String name) {
        lock.lock();
        try {
            Slot slot = slots.get(name);
            return slot == null || slot.status != McpServerStatus.CONNECTED
                    ? java.util.Optional.empty()
                    : java.util.Optional.of(slot.client);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The body of {@code GET /api/v1/mcp/servers}: {@code {"servers": [{"name", "transport", "target", "status",
     * "error", "server": {"name", "version", "protocolVersion"}, "tools": [{"name", "mcpName", "description",
     * "inputSchema"}]}]}}. Header and environment values are never included (they may hold secrets).
     */
    public JsonObject toJson() {
        var servers = Json.array();
        for (McpServerState s : states()) {
            var server = Json.object()
                    .add("name", s.name())
                    .add("transport", s.config().transport())
                    .add("target", s.config().target())
                    .add("status", s.status().json());
            if (s.error() != null) {
                server.add("error", s.error());
            } else {
                server.addNull("error");
            }
            if (s.info() != null) {
                server.add(
                        "server",
                        Json.object()
                                .add("name", s.info().name())
                                .add("version", s.info().version())
                                .add("protocolVersion", s.info().protocolVersion()));
            } else {
                server.addNull("server");
            }
            var tools = Json.array();
            for (McpToolBridge.Bridged b : s.tools()) {
                tools.add(Json.object()
                        .add("name", b.tool().name())
                        .add("mcpName", b.mcpName())
                        .add("description", b.tool().spec().description())
                        .add("inputSchema", b.tool().spec().inputSchema()));
            }
            servers.add(server.add("tools", tools));
        }
        return Json.object().add("servers", servers).build();
    }

    public boolean isEmpty() {
        return slots.isEmpty();
    }

    /** Shuts every server down (children get stdin closed, then SIGTERM, then SIGKILL) and unregisters the tools. */
    @Override
    public void close() {
        List<McpClient> clients = new ArrayList<>();
        lock.lock();
        try {
            for (Slot slot : slots.values()) {
                if (slot.client != null) {
                    clients.add(slot.client);
                    registries.forEach(
                            r -> slot.tools.forEach(b -> r.unregister(b.tool().name())));
                    slot.tools = List.of();
                    slot.status = McpServerStatus.CLOSED;
                    slot.client = null;
                }
            }
        } finally {
            lock.unlock();
        }
        // Close in parallel: each may wait a grace period for its process to exit.
        List<Thread> closing =
                clients.stream().map(c -> Thread.ofVirtual().start(c::close)).toList();
        for (Thread t : closing) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
