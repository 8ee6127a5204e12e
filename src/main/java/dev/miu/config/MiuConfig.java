package dev.miu.config;

import dev.miu.core.ConfigurationException;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.core.provider.Providers;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;
import io.helidon.config.yaml.YamlConfigParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything miu reads from outside, resolved once. Precedence: command-line flags, then environment variables,
 * then app.yaml ({@code --config FILE}, else {@code ./app.yaml}, else the default inside the jar).
 *
 * @param source  where the YAML came from, for the start-up log
 * @param sessions when the studio's session writes reach the disk ({@code sessions} section)
 * @param yaml    the raw config tree, for sections that later features read (mcp, tools, tracing)
 */
public record MiuConfig(String source, AgentSettings agent, ServerSettings server, Path dataDir,
                        SessionSettings sessions, ProviderSettings providers, Config yaml) {

    /** Loads configuration; {@code configFile} may be null. Bad values are a {@link ConfigurationException}. */
    public static MiuConfig load(Path configFile, Map<String, String> env) {
        String source;
        Config yaml;
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
     * A YAML file ({@code .yaml}, {@code .yml}) is read and parsed here with Helidon's YAML parser named outright;
     * any other file goes through {@link ConfigSources#file}, which picks a parser by the file's media type.
     * The outright way skips what {@code Config.just} does first (media-type detection from the file name, and
     * {@code ServiceLoader} scans for parsers, mappers and filters, of which the jars hold none miu uses): loading
     * the config took about 190 of the 650 ms the runtime image's server needed to listen, and takes about 55 now.
     */
    private static Config fromFile(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".yaml") && !name.endsWith(".yml")) {
            return Config.just(ConfigSources.file(file));
        }
        try {
            return yaml(Files.readString(file));
        } catch (MalformedInputException e) {
            throw new ConfigurationException("Config file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read config file " + file + ": " + e.getMessage());
        }
    }

    /** The {@code app.yaml} inside the jar: the defaults; empty if the jar has none. */
    private static Config builtIn() {
        try (InputStream in = MiuConfig.class.getClassLoader().getResourceAsStream("app.yaml")) {
            return in == null ? Config.empty() : yaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read the built-in app.yaml: " + e.getMessage());
        }
    }

    private static Config yaml(String text) {
        return Config.builder(ConfigSources.create(text, MediaTypes.APPLICATION_X_YAML))
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .disableParserServices()
                .addParser(YamlConfigParser.create())
                .disableMapperServices()
                .disableFilterServices()
                .build();
    }

    private static AgentSettings agent(Config yaml, Map<String, String> env) {
        Config agent = yaml.get("agent");
        String model = env.getOrDefault("MIU_MODEL", agent.get("model").asString().orElse(null));
        int maxIterations = agent.get("max-iterations").asInt().orElse(10);
        int maxTokens = agent.get("max-tokens").asInt().orElse(4096);
        if (maxIterations < 1 || maxTokens < 1) {
            throw new ConfigurationException("agent.max-iterations and agent.max-tokens must be at least 1");
        }
        return new AgentSettings(blankToNull(model), blankToNull(agent.get("system-prompt").asString().orElse(null)),
                maxIterations, maxTokens, agent.get("temperature").asDouble().map(d -> d).orElse(null),
                agent.get("context-tokens").asLong().orElse(150_000L));
    }

    private static Path dataDir(Config yaml, Map<String, String> env) {
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
