package dev.miu.config;

import dev.miu.core.ConfigurationException;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.core.provider.Providers;
import dev.miu.core.tracing.TracingSettings;
import dev.miu.rag.RagSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Everything miu reads from outside, resolved once: every section of app.yaml with the environment variables over
 * it ({@code MIU_*}, {@code OTEL_*}, provider keys). Precedence: command-line flags (applied by the commands with
 * the {@code with} methods), then environment variables, then app.yaml ({@code --config FILE}, else
 * {@code ./app.yaml}, else the default inside the jar). A key of app.yaml that no section reads is an error naming
 * the nearest known key.
 *
 * @param source   where the YAML came from, for the start-up log
 * @param agent    defaults for the agents miu creates ({@code agent})
 * @param server   where the studio listens and who may call it ({@code server})
 * @param dataDir  sessions and other state ({@code data-dir}, {@code MIU_DATA_DIR})
 * @param sessions where the studio's sessions live and when file writes reach the disk ({@code sessions})
 * @param database the PostgreSQL of {@code sessions.store: postgres} ({@code database}, {@code MIU_DATABASE_*})
 * @param studio   what studio agents get ({@code studio})
 * @param mcp      MCP servers from app.yaml ({@code mcp}); a {@code --mcp-config} file adds to them
 * @param tracing  OpenTelemetry ({@code tracing}, {@code OTEL_*})
 * @param rag      embeddings and collections ({@code rag})
 * @param providers model provider credentials and base URLs (environment only)
 * @param agents   declared agents ({@code agents}, {@code default-agent}, {@code agents-dir})
 */
public record MiuConfig(
        String source,
        AgentSettings agent,
        ServerSettings server,
        Path dataDir,
        SessionSettings sessions,
        DatabaseSettings database,
        StudioSettings studio,
        McpSettings mcp,
        TracingSettings tracing,
        RagSettings rag,
        ProviderSettings providers,
        AgentsSettings agents) {

    /** Loads configuration; {@code configFile} may be null. Bad values are a {@link ConfigurationException}. */
    public static MiuConfig load(Path configFile, Map<String, String> env) {
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new ConfigurationException("Config file not found: " + configFile);
            }
            return read(fromFile(configFile), configFile.toAbsolutePath().toString(), env);
        }
        Path local = Path.of("app.yaml");
        if (Files.isRegularFile(local)) {
            return read(fromFile(local), local.toAbsolutePath().toString(), env);
        }
        return read(builtIn(), "built-in defaults", env);
    }

    /**
     * Every setting at its default, as with an empty app.yaml and no environment variables, with the data in
     * {@code dataDir}: for tests and programs that embed miu, which then change what they need with the
     * {@code with} methods.
     */
    public static MiuConfig defaults(Path dataDir) {
        return read(ConfigTree.empty("defaults"), "defaults", Map.of("MIU_DATA_DIR", dataDir.toString()));
    }

    /**
     * The sections of {@code yaml}, each read by its record's reader; then every key no reader asked for is
     * reported. A new section is a record, its reader and a line here.
     */
    private static MiuConfig read(ConfigTree yaml, String source, Map<String, String> env) {
        Path dataDir = dataDir(yaml, env);
        AgentSettings agent = AgentSettings.from(yaml.get("agent"), env);
        SessionSettings sessions = SessionSettings.from(yaml.get("sessions"), env);
        var config = new MiuConfig(
                source,
                agent,
                ServerSettings.from(yaml.get("server"), env),
                dataDir,
                sessions,
                DatabaseSettings.from(yaml.get("database"), env, sessions.store() == SessionSettings.Store.POSTGRES),
                StudioSettings.from(yaml.get("studio")),
                McpSettings.from(yaml.get("mcp"), source, env),
                TracingConfig.from(yaml.get("tracing"), env),
                RagConfig.from(yaml.get("rag"), dataDir, env),
                ProviderSettings.fromEnvironment(env),
                AgentsSettings.from(yaml, agent, dataDir, env));
        UnknownKeys.check(yaml);
        return config;
    }

    /** A {@code .properties} file is read as one (dotted keys); any other file as YAML. */
    private static ConfigTree fromFile(Path file) {
        String name =
                file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".properties")) {
                var properties = new Properties();
                try (Reader in = Files.newBufferedReader(file)) {
                    properties.load(in);
                }
                return ConfigTree.of(properties, file.toString());
            }
            return ConfigTree.parseYaml(Files.readString(file), file.toString());
        } catch (MalformedInputException e) {
            throw new ConfigurationException("Config file " + file + " is not UTF-8 text");
        } catch (IOException | IllegalArgumentException e) { // IllegalArgumentException: a malformed unicode escape
            throw new ConfigurationException("Cannot read config file " + file + ": " + e.getMessage());
        }
    }

    /** The {@code app.yaml} inside the jar: the defaults; empty if the jar has none. */
    private static ConfigTree builtIn() {
        String source = "the built-in app.yaml";
        try (InputStream in = MiuConfig.class.getClassLoader().getResourceAsStream("app.yaml")) {
            return in == null
                    ? ConfigTree.empty(source)
                    : ConfigTree.parseYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read the built-in app.yaml: " + e.getMessage());
        }
    }

    private static Path dataDir(ConfigTree yaml, Map<String, String> env) {
        String dir = yaml.get("data-dir").asString().orElse(null); // read first: a known key even when overridden
        String fromEnv = env.get("MIU_DATA_DIR");
        if (fromEnv != null && !fromEnv.isBlank()) {
            dir = fromEnv;
        }
        if (dir == null || dir.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".miu");
        }
        if (dir.startsWith("~/")) {
            dir = System.getProperty("user.home") + dir.substring(1);
        }
        return Path.of(dir).toAbsolutePath();
    }

    public MiuConfig withAgent(AgentSettings agent) {
        return new MiuConfig(
                source, agent, server, dataDir, sessions, database, studio, mcp, tracing, rag, providers, agents);
    }

    /** This configuration with its sessions kept as {@code sessions} says, in {@code database} for postgres. */
    public MiuConfig withSessions(SessionSettings sessions, DatabaseSettings database) {
        if (sessions.store() == SessionSettings.Store.POSTGRES && database.url() == null) {
            throw new ConfigurationException("sessions.store is postgres but database.url is not set");
        }
        return new MiuConfig(
                source, agent, server, dataDir, sessions, database, studio, mcp, tracing, rag, providers, agents);
    }

    public MiuConfig withServer(ServerSettings server) {
        return new MiuConfig(
                source, agent, server, dataDir, sessions, database, studio, mcp, tracing, rag, providers, agents);
    }

    public MiuConfig withProviders(ProviderSettings providers) {
        return new MiuConfig(
                source, agent, server, dataDir, sessions, database, studio, mcp, tracing, rag, providers, agents);
    }

    public MiuConfig withAgents(AgentsSettings agents) {
        return new MiuConfig(
                source, agent, server, dataDir, sessions, database, studio, mcp, tracing, rag, providers, agents);
    }

    /**
     * Every declared agent: app.yaml's {@code agents:}, then the agents directory's files by name (read now, so
     * call this once, after {@code --agents} is applied). The {@code agent:} section's implicit {@code assistant}
     * is added by {@code dev.miu.agents}, which knows the MCP servers of the command line too.
     */
    public List<AgentDefinition> agentDefinitions() {
        List<AgentDefinition> all = new ArrayList<>(agents.declared());
        all.addAll(agents.readDirectory(agent));
        return List.copyOf(all);
    }

    /**
     * The model to use: {@code flag} if given, else MIU_MODEL / app.yaml, else the first provider with
     * credentials. With none, a {@link ConfigurationException} that names what to set.
     */
    public ModelSpec resolveModel(String flag) {
        Providers factory = new Providers(providers, dev.miu.core.provider.ProviderOptions.DEFAULT);
        String spec = blankToNull(flag) != null ? flag : agent.model();
        if (spec != null) {
            return factory.withDefaultModel(ModelSpec.parse(spec));
        }
        Optional<String> detected = factory.detectProvider();
        return detected.map(p -> factory.withDefaultModel(new ModelSpec(p, null)))
                .orElseThrow(
                        () -> new ConfigurationException("No model provider configured: " + Providers.WHAT_TO_SET));
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** The whole number in environment variable {@code name}, or {@code fallback} when it is unset or blank. */
    static int envInt(Map<String, String> env, String name, int fallback) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + " must be a number, got '" + env.get(name) + "'");
        }
    }
}
