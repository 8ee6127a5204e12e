package dev.miu.cli;

import dev.miu.agents.ConfiguredAgents;
import dev.miu.config.MiuConfig;
import dev.miu.config.ServerSettings;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.tracing.Tracing;
import dev.miu.core.tracing.TracingSettings;
import dev.miu.core.tracing.TracingSetup;
import dev.miu.rag.Embedders;
import dev.miu.rag.KnowledgeBase;
import dev.miu.rag.RagSettings;
import dev.miu.studio.Studio;
import dev.miu.studio.StudioListener;
import dev.miu.studio.StudioServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code miu serve}: runs the studio server until the process is stopped (Ctrl-C, SIGTERM) or interrupted. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the studio: a chat API (REST, SSE, WebSocket) and browser UI over persistent sessions.")
public final class ServeCommand implements Callable<Integer> {

    @Option(
            names = "--host",
            paramLabel = "HOST",
            description = "Address to listen on (default: MIU_HOST, server.host, 127.0.0.1).")
    String host;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "Port to listen on, 0 for any free one (default: MIU_PORT, server.port, 8000).")
    Integer port;

    @Option(names = "--config", paramLabel = "FILE", description = OptionText.CONFIG)
    Path configFile;

    @Option(
            names = {"-m", "--model"},
            paramLabel = "PROVIDER:MODEL",
            description = "Default model for new sessions (default: MIU_MODEL, agent.model).")
    String model;

    @Option(names = "--mcp-config", paramLabel = "FILE", description = OptionText.MCP_CONFIG)
    Path mcpConfigFile;

    @Option(names = "--agents", paramLabel = "DIR", description = OptionText.AGENTS)
    Path agentsDir;

    @CommandLine.ParentCommand
    MiuCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Helidon's notices (its feature list, "preview features", each socket bound, "Started all channels") are INFO
     * records; serve prints its own description instead and leaves Helidon its warnings and errors. Writing those
     * records also cost about 20 ms of start-up: the first one sets up JUL's formatter, dates and locale data, and
     * the last one reads the JVM's uptime through JMX. A logging config of the user's
     * ({@code -Djava.util.logging.config.file}) decides for itself. Held in a field: JUL keeps loggers weakly.
     */
    private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");

    /** The environment to read; tests replace it. Null means the parent command's (or the process's). */
    Map<String, String> env;

    /** Where the server's description and failures go; null means picocli's writers (see {@link ServeFastPath}). */
    PrintWriter out;

    PrintWriter err;

    @Override
    public Integer call() throws Exception {
        if (env == null) {
            env = parent != null ? parent.environment : System.getenv();
        }
        if (out == null) {
            out = spec.commandLine().getOut();
            err = spec.commandLine().getErr();
        }
        StudioServer.prepareFirstAnswers();
        if (System.getProperty("java.util.logging.config.file") == null && HELIDON_LOG.getLevel() == null) {
            HELIDON_LOG.setLevel(Level.WARNING);
        }
        MiuConfig config = config();
        TracingSettings tracingSettings = config.tracing();
        Tracing tracing = TracingSetup.create(tracingSettings);
        Tracing.install(tracing);
        Path mcpFile = mcpConfigFile != null ? mcpConfigFile : parent == null ? null : parent.mcpConfigFile();
        McpServers mcp = McpStartup.start(config, mcpFile, env, Path.of("").toAbsolutePath(), err);
        RagSettings ragSettings = config.rag();
        KnowledgeBase knowledge = Embedders.knowledgeBase(ragSettings, config.providers());
        Studio created = null;
        StudioListener server;
        ConfiguredAgents agents;
        try {
            // every declared agent is checked before anything listens (MCP tool names too, now the servers run)
            agents = ConfiguredAgents.load(config, mcp, knowledge, ProviderOptions.DEFAULT);
            created =
                    Studio.create(config, mcp, knowledge, ragSettings, agents); // fails if another server has the store
            server = StudioListener.start(created); // started again if Helidon's listener gives up
        } catch (RuntimeException e) {
            close(null, created, mcp, knowledge, tracing); // MCP servers are child processes: never leave them running
            Tracing.install(Tracing.NOOP);
            throw e;
        }
        Studio studio = created;
        StudioServer.describe(studio, server.server()).forEach(out::println);
        out.println("  agents:   " + String.join(", ", agents.names()) + " (default " + agents.defaultAgent() + ")");
        out.println("  tracing:  " + tracingSettings.describe());
        out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    close(server, studio, mcp, knowledge, tracing);
                    stopped.countDown();
                },
                "miu-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await(); // serve until the JVM is asked to stop
        } catch (InterruptedException e) {
            // interrupted by an embedding program or a test: stop cleanly
            Runtime.getRuntime().removeShutdownHook(hook);
            close(server, studio, mcp, knowledge, tracing);
            Tracing.install(Tracing.NOOP);
        }
        return 0;
    }

    /**
     * Ends the turns waiting for approval (their clients get done; the calls stay pending), stops the server and
     * checkpoints the sessions (each if there is one yet), then closes what the studio used.
     */
    private static void close(
            StudioListener server, Studio studio, McpServers mcp, KnowledgeBase knowledge, Tracing tracing) {
        if (studio != null) {
            try {
                studio.chat().endWaitingTurns(java.time.Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stop at once: their calls are stored and stay pending
            }
        }
        if (server != null) {
            server.stop();
        }
        if (studio != null) {
            studio.sessions().shutdown();
            studio.sessions().close();
        }
        mcp.close();
        knowledge.close();
        TracingSetup.shutdown(tracing);
    }

    MiuConfig config() {
        MiuConfig config = studioConfig(configFile, model, agentsDir, parent, env);
        ServerSettings server = config.server();
        if (host != null) {
            server = server.withHost(host);
        }
        if (port != null) {
            server = server.withPort(port);
        }
        return config.withServer(server);
    }

    /**
     * The configuration a command hosting the studio's agents reads ({@code serve}, {@code mcp}): the config file,
     * {@code --model} and {@code --agents}, each its own or else the root command's ({@code parent}, may be null).
     */
    static MiuConfig studioConfig(
            Path configFile, String model, Path agentsDir, MiuCommand parent, Map<String, String> env) {
        Path file = configFile != null ? configFile : parent == null ? null : parent.configFile;
        MiuConfig config = MiuConfig.load(file, env);
        String modelFlag = model != null ? model : parent == null ? null : parent.model;
        var agent = config.agent();
        if (modelFlag != null && !modelFlag.isBlank()) {
            agent = agent.withModel(modelFlag.strip());
        }
        Path agents = agentsDir != null ? agentsDir : parent == null ? null : parent.agentsDir;
        if (agents != null) {
            config = config.withAgents(config.agents().withDir(agents));
        }
        return config.withAgent(agent);
    }
}
