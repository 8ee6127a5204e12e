package dev.miu.config;

import dev.miu.core.ConfigurationException;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Declared agents: app.yaml's {@code agents:} list (read with the file), {@code default-agent}, and the agents
 * directory ({@code agents-dir}, {@code MIU_AGENTS_DIR}, {@code --agents DIR}; default {@code DATA_DIR/agents}),
 * whose files are read by {@link #readDirectory} once the command line is applied.
 *
 * @param declared     the agents of app.yaml's {@code agents:}, in the file's order
 * @param defaultAgent {@code default-agent}, or null for {@code assistant}
 * @param dir          the agents directory
 * @param dirGiven     whether the directory was named (then it must exist) rather than the default
 */
public record AgentsSettings(List<AgentDefinition> declared, String defaultAgent, Path dir, boolean dirGiven) {

    public AgentsSettings {
        declared = List.copyOf(declared);
    }

    static AgentsSettings from(ConfigTree root, AgentSettings defaults, Path dataDir, Map<String, String> env) {
        Path file = Path.of(root.source());
        Path baseDir = Files.isRegularFile(file)
                ? file.toAbsolutePath().getParent()
                : Path.of("").toAbsolutePath();
        List<AgentDefinition> declared = new ArrayList<>();
        ConfigTree agents = root.get("agents");
        boolean blank = agents.type() == ConfigTree.Type.VALUE
                && agents.asString().orElse("").isBlank(); // "agents:" with nothing under it
        if (agents.exists() && !blank && agents.type() != ConfigTree.Type.LIST) {
            throw new ConfigurationException(root.source() + ": agents: must be a list of agents (- name: ...)");
        }
        for (ConfigTree entry : agents.children()) {
            declared.add(AgentReader.read(entry, null, "agents[" + entry.name() + "]", file, baseDir, defaults));
        }
        String defaultAgent =
                MiuConfig.blankToNull(root.get("default-agent").asString().orElse(null));
        String dir = MiuConfig.blankToNull(root.get("agents-dir").asString().orElse(null));
        String fromEnv = MiuConfig.blankToNull(env.get("MIU_AGENTS_DIR"));
        if (fromEnv != null) {
            dir = fromEnv;
        }
        return new AgentsSettings(
                declared, defaultAgent, dir == null ? dataDir.resolve("agents") : expand(dir), dir != null);
    }

    /** These settings with the agents directory of {@code --agents DIR} (which must exist). */
    public AgentsSettings withDir(Path dir) {
        return new AgentsSettings(declared, defaultAgent, expand(dir.toString()), true);
    }

    /**
     * The agents of the directory's {@code *.yaml} and {@code *.yml} files, by file name; {@code name} defaults to
     * the file's stem. A directory that was named but does not exist is an error; the default one may be missing.
     *
     * @param defaults the {@code agent:} section, for the limits an agent does not set
     */
    public List<AgentDefinition> readDirectory(AgentSettings defaults) {
        if (!Files.isDirectory(dir)) {
            if (dirGiven || Files.exists(dir)) {
                throw new ConfigurationException("agents directory " + dir
                        + (Files.exists(dir) ? " is not a directory" : " does not exist")
                        + " (agents-dir, MIU_AGENTS_DIR or --agents)");
            }
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(AgentsSettings::isAgentFile).sorted().toList();
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read the agents directory " + dir + ": " + e.getMessage());
        }
        List<AgentDefinition> agents = new ArrayList<>();
        for (Path file : files) {
            agents.add(readFile(file, defaults));
        }
        return agents;
    }

    private static boolean isAgentFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.startsWith(".") && Files.isRegularFile(file);
    }

    private static AgentDefinition readFile(Path file, AgentSettings defaults) {
        String text;
        try {
            text = Files.readString(file);
        } catch (MalformedInputException e) {
            throw new ConfigurationException("Agent file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read agent file " + file + ": " + e.getMessage());
        }
        String fileName = file.getFileName().toString();
        String stem = fileName.substring(0, fileName.lastIndexOf('.'));
        ConfigTree tree = ConfigTree.parseYaml(text, file.toString());
        return AgentReader.read(
                tree, stem, "agent file", file, file.toAbsolutePath().getParent(), defaults);
    }

    private static Path expand(String dir) {
        String path = dir.startsWith("~/") ? System.getProperty("user.home") + dir.substring(1) : dir;
        return Path.of(path);
    }
}
