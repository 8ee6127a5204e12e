package dev.miu.cli;

import dev.miu.config.MiuConfig;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.agent.Response;
import dev.miu.core.memory.ContextWindow;
import dev.miu.core.message.StopReason;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.Provider;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.Providers;
import dev.miu.core.tool.ToolRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code miu}: ask one question with {@code -q}, or run a subcommand. */
@Command(name = "miu", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "An AI agent framework and server for the JVM.",
        subcommands = {CommandLine.HelpCommand.class, RagCommand.class})
public final class MiuCommand implements Callable<Integer> {

    @Option(names = {"-q", "--query"}, paramLabel = "QUESTION", description = "Ask one question, stream the answer to stdout, and exit.")
    String query;

    @Option(names = {"-m", "--model"}, paramLabel = "PROVIDER:MODEL",
            description = "Model to use, e.g. anthropic:claude-sonnet-4-5, openai:gpt-4.1-mini, ollama:llama3.2 (default: MIU_MODEL, app.yaml, or the first provider with a key).")
    String model;

    @Option(names = "--config", paramLabel = "FILE", description = "app.yaml to read (default: ./app.yaml, else built-in).")
    Path configFile;

    @Option(names = "--collection", paramLabel = "NAME",
            description = "Give the agent the search_knowledge tool over this RAG collection (default: rag.collection in app.yaml).")
    String collection;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (query == null) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }
        if (query.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "The question given to -q is empty");
        }
        MiuConfig config = MiuConfig.load(configFile, System.getenv());
        return ask(config, query, spec.commandLine().getOut());
    }

    private Integer ask(MiuConfig config, String question, PrintWriter out) {
        ModelSpec modelSpec = config.resolveModel(model);
        Provider provider = new Providers(config.providers(), ProviderOptions.DEFAULT).create(modelSpec);
        var agentSettings = config.agent();
        var agentConfig = new AgentConfig("miu", agentSettings.systemPrompt(), modelSpec.toString(),
                agentSettings.maxIterations(), agentSettings.maxTokens(), agentSettings.temperature());
        var tools = new ToolRegistry();
        Response response;
        try (RagCommand.Opened knowledge = RagCommand.addKnowledgeTool(config, collection, tools)) {
            var agent = new ReActAgent(agentConfig, provider, tools, new ContextWindow(agentSettings.contextTokens()));
            response = agent.stream(question, event -> {
                if (event instanceof AgentEvent.TextDelta delta) {
                    out.print(delta.text());
                    out.flush();
                }
            });
        }
        out.println();
        out.flush();
        if (response.stopReason() == StopReason.MAX_ITERATIONS) {
            spec.commandLine().getErr().println("miu: stopped after " + response.iterations() + " model calls (agent.max-iterations)");
            return 1;
        }
        return 0;
    }
}
