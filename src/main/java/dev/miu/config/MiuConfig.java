package dev.miu.config;

import dev.miu.core.ConfigurationException;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.core.provider.Providers;
import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything miu reads from outside, resolved once. Precedence: command-line flags, then environment variables,
 * then app.yaml ({@code --config FILE}, else {@code ./app.yaml}, else the default inside the jar).
 *
 * @param source  where the YAML came from, for the start-up log
 * @param sessions when the studio's session writes reach the disk ({@code sessions} section)
 * @param yaml    the file's tree, for sections that later features read (mcp, tools, tracing, rag)
 */
public record MiuConfig(String source, AgentSettings agent, ServerSettings server, Path dataDir,
                        SessionSettings sessions, ProviderSettings providers, ConfigTree yaml) {

    /** Loads configuration; {@code configFile} may be null. Bad values are a {@link ConfigurationException}. */
    public static MiuConfig load(Path configFile, Map<String, String> env) {
        String source;
        ConfigTree yaml;
        try {
            if (configFile != null) {
                if (!Files.isRegularFile(configFile)) {
                    throw new ConfigurationException("Config file not found: " + configFile);
                }
                yaml = fromFile(configFile);
                source = configFile.toAbsolutePath().toString();
            } else if (Files.isRegularFile(Path.of("app.yaml"))) {
                yaml = fromFile(Path.of("app.yaml"));
                source = Path.of("app.yaml").toAbsolutePath().toString();
            } else {
                yaml = builtIn();
                source = "built-in defaults";
            }
            return new MiuConfig(source, agent(yaml, env), ServerSettings.from(yaml.get("server"), env),
                    dataDir(yaml, env), SessionSettings.from(yaml.get("sessions"), env),
                    ProviderSettings.fromEnvironment(env), yaml);
        } catch (ConfigException e) {
            throw new ConfigurationException("Bad configuration in " + (configFile == null ? "app.yaml" : configFile)
                    + ": " + e.getMessage());
        }
    }

    /**
     * A YAML file ({@code .yaml}, {@code .yml}) is parsed straight into a {@link ConfigTree}; any other file goes
     * through {@link ConfigSources#file}, which picks a Helidon parser by the file's media type (a
     * {@code .properties} file, say), and its tree is copied.
     */
    private static ConfigTree fromFile(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".yaml") && !name.endsWith(".yml")) {
            return ConfigTree.of(plain(Config.just(ConfigSources.file(file))), file.toString());
        }
        try {
            return ConfigTree.parseYaml(Files.readString(file), file.toString());
        } catch (MalformedInputException e) {
            throw new ConfigurationException("Config file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read config file " + file + ": " + e.getMessage());
        }
    }

    /** A Helidon config object as maps, lists and strings. */
    private static Map<String, Object> plain(Config object) {
        Map<String, Object> map = new LinkedHashMap<>();
        object.asNodeList().orElse(List.of()).forEach(child -> map.put(child.name(), plainNode(child)));
        return map;
    }

    private static Object plainNode(Config node) {
        return switch (node.type()) {
            case OBJECT -> plain(node);
            case LIST -> node.asNodeList().orElse(List.of()).stream().map(MiuConfig::plainNode).toList();
            case VALUE -> node.asString().orElse("");
            case MISSING -> "";
        };
    }

    /** The {@code app.yaml} inside the jar: the defaults; empty if the jar has none. */
    private static ConfigTree builtIn() {
        String source = "the built-in app.yaml";
        try (InputStream in = MiuConfig.class.getClassLoader().getResourceAsStream("app.yaml")) {
            return in == null ? ConfigTree.empty(source)
                    : ConfigTree.parseYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read the built-in app.yaml: " + e.getMessage());
        }
    }

    private static AgentSettings agent(ConfigTree yaml, Map<String, String> env) {
        ConfigTree agent = yaml.get("agent");
        String model = env.getOrDefault("MIU_MODEL", agent.get("model").asString().orElse(null));
        int maxIterations = agent.get("max-iterations").asInt().orElse(10);
        int maxTokens = agent.get("max-tokens").asInt().orElse(4096);
        if (maxIterations < 1 || maxTokens < 1) {
            throw new ConfigurationException("agent.max-iterations and agent.max-tokens must be at least 1");
        }
        return new AgentSettings(blankToNull(model), blankToNull(agent.get("system-prompt").asString().orElse(null)),
                maxIterations, maxTokens, agent.get("temperature").asDouble().orElse(null),
                agent.get("context-tokens").asLong().orElse(150_000L),
                Durations.get(agent, "turn-timeout", "agent.turn-timeout", AgentSettings.DEFAULT_TURN_TIMEOUT));
    }

    private static Path dataDir(ConfigTree yaml, Map<String, String> env) {
        String dir = env.get("MIU_DATA_DIR");
        if (dir == null || dir.isBlank()) {
            dir = yaml.get("data-dir").asString().orElse(null);
        }
        if (dir == null || dir.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".miu");
        }
        if (dir.startsWith("~/")) {
            dir = System.getProperty("user.home") + dir.substring(1);
        }
        return Path.of(dir).toAbsolutePath();
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
                .orElseThrow(() -> new ConfigurationException("No model provider configured: " + Providers.WHAT_TO_SET));
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
