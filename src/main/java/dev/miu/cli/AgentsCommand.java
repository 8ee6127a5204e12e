package dev.miu.cli;

import dev.miu.agents.AgentDefinitions;
import dev.miu.agents.AgentReferences;
import dev.miu.agents.AgentValidator;
import dev.miu.config.AgentDefinition;
import dev.miu.config.MiuConfig;
import dev.miu.config.ToolRef;
import dev.miu.core.ConfigurationException;
import dev.miu.core.mcp.McpServers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code miu agents check|list|show}: the declared agents, checked and described without starting a server. */
@Command(
        name = "agents",
        mixinStandardHelpOptions = true,
        description = "Check, list and show the agents of app.yaml (agents:) and the agents directory.",
        subcommands = {AgentsCommand.Check.class, AgentsCommand.ListAgents.class, AgentsCommand.Show.class})
public final class AgentsCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    MiuCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** The options every agents subcommand has; each one not given is taken from before the subcommand. */
    static final class Options {
        @Option(names = "--agents", paramLabel = "DIR", description = OptionText.AGENTS)
        Path agentsDir;

        @Option(names = "--config", paramLabel = "FILE", description = OptionText.CONFIG)
        Path configFile;

        @Option(names = "--mcp-config", paramLabel = "FILE", description = OptionText.MCP_CONFIG)
        Path mcpConfigFile;
    }

    /** What the subcommands read: the configuration with {@code --agents} applied, and every agent. */
    private record Loaded(
            MiuConfig config, Path mcpConfigFile, Set<String> mcpServers, List<AgentDefinition> definitions) {}

    /**
     * Reads the configuration and the agents, and checks them with MCP servers known by name; with
     * {@code mcpStarted} the servers were started and their tools are checked too.
     */
    private static Loaded load(MiuCommand root, Options options) {
        Map<String, String> env = root.environment;
        Path configFile = options.configFile != null ? options.configFile : root.configFile;
        Path agentsDir = options.agentsDir != null ? options.agentsDir : root.agentsDir;
        Path mcpFile = options.mcpConfigFile != null ? options.mcpConfigFile : root.mcpConfigFile;
        MiuConfig config = MiuConfig.load(configFile, env);
        if (agentsDir != null) {
            config = config.withAgents(config.agents().withDir(agentsDir));
        }
        var servers = config.mcp().withFile(mcpFile, env).keySet();
        return new Loaded(config, mcpFile, servers, AgentDefinitions.all(config, servers));
    }

    private static List<String> collections(MiuConfig config) {
        return AgentReferences.collectionsIn(config.rag().storeDir());
    }

    private static void checkByName(Loaded loaded) {
        AgentValidator.check(
                loaded.definitions(),
                loaded.config(),
                AgentReferences.byName(loaded.mcpServers(), collections(loaded.config())));
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = "Validate the agents as 'miu serve' would, without starting it: names, references, cycles, "
                    + "workspaces, providers. Exit 0 when they are fine, 2 with the problems otherwise.")
    static final class Check implements Callable<Integer> {
        @CommandLine.ParentCommand
        AgentsCommand agents;

        @Mixin
        Options options;

        @Option(
                names = "--with-mcp",
                description = "Start the MCP servers to check the tool names of 'mcp: SERVER/TOOL' entries too.")
        boolean withMcp;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Loaded loaded = load(agents.parent, options);
            boolean namesMcpTools = loaded.definitions().stream()
                    .filter(d -> d instanceof AgentDefinition.Model)
                    .flatMap(d -> ((AgentDefinition.Model) d).tools().stream())
                    .anyMatch(t -> t instanceof ToolRef.Mcp m && m.tool() != null);
            if (withMcp) {
                try (McpServers mcp = McpStartup.start(
                        loaded.config(),
                        loaded.mcpConfigFile(),
                        agents.parent.environment,
                        Path.of("").toAbsolutePath(),
                        spec.commandLine().getErr())) {
                    AgentValidator.check(
                            loaded.definitions(),
                            loaded.config(),
                            AgentReferences.of(mcp, collections(loaded.config())));
                }
            } else {
                checkByName(loaded);
            }
            List<String> names =
                    loaded.definitions().stream().map(AgentDefinition::name).toList();
            out.println("ok: " + names.size() + (names.size() == 1 ? " agent (" : " agents (")
                    + String.join(", ", names) + ")");
            if (namesMcpTools && !withMcp) {
                out.println("note: MCP servers were checked by name only; --with-mcp starts them to check the tool"
                        + " names too");
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the agents: name, type, model and description (* marks the default agent).")
    static final class ListAgents implements Callable<Integer> {
        @CommandLine.ParentCommand
        AgentsCommand agents;

        @Mixin
        Options options;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Loaded loaded = load(agents.parent, options);
            checkByName(loaded);
            AgentText.table(loaded.definitions(), loaded.config())
                    .forEach(spec.commandLine().getOut()::println);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show one agent: its definition (tools, routes, stages or tasks) and the file it is in.")
    static final class Show implements Callable<Integer> {
        @CommandLine.ParentCommand
        AgentsCommand agents;

        @Mixin
        Options options;

        @Parameters(paramLabel = "NAME", description = "The agent to show.")
        String name;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Loaded loaded = load(agents.parent, options);
            checkByName(loaded);
            AgentDefinition definition = loaded.definitions().stream()
                    .filter(d -> d.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new ConfigurationException("No agent '" + name + "'; known: "
                            + String.join(
                                    ", ",
                                    loaded.definitions().stream()
                                            .map(AgentDefinition::name)
                                            .toList())));
            AgentText.show(definition, loaded.config())
                    .forEach(spec.commandLine().getOut()::println);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
