package dev.miu.agents;

import dev.miu.config.AgentDefinition;
import dev.miu.config.MiuConfig;
import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.mcp.McpServerState;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.memory.ContextWindow;
import dev.miu.core.pattern.Orchestrator;
import dev.miu.core.pattern.Pipeline;
import dev.miu.core.pattern.Route;
import dev.miu.core.pattern.RouteRule;
import dev.miu.core.pattern.Router;
import dev.miu.core.pattern.Stage;
import dev.miu.core.pattern.Task;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.Provider;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.Providers;
import dev.miu.rag.KnowledgeBase;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents of app.yaml and the agents directory, checked as a whole ({@link AgentValidator}) and made runnable
 * from the library's parts: a model agent is a {@link ReActAgent} with the tools its entries name; a router,
 * pipeline or orchestrator is the pattern class over the agents it names. Providers are made once per provider name
 * and shared by every agent and turn (one HTTP client and connection pool each).
 */
public final class ConfiguredAgents implements AgentCatalog {

    private final List<AgentDefinition> definitions;
    private final Map<String, AgentDefinition> byName = new LinkedHashMap<>();
    private final String defaultAgent;
    private final MiuConfig config;
    private final Providers providers;
    private final ToolFactory tools;
    /** One provider per provider name, not per model: a provider serves every model (the request names it). */
    private final Map<String, Provider> providerCache = new ConcurrentHashMap<>();

    private ConfiguredAgents(
            List<AgentDefinition> definitions,
            String defaultAgent,
            MiuConfig config,
            McpServers mcp,
            KnowledgeBase knowledge,
            ProviderOptions options,
            java.util.function.Function<String, String> environment) {
        this.definitions = List.copyOf(definitions);
        definitions.forEach(d -> byName.put(d.name(), d));
        this.defaultAgent = defaultAgent == null ? AgentDefinition.DEFAULT_NAME : defaultAgent;
        this.config = config;
        this.providers = new Providers(config.providers(), options);
        this.tools = new ToolFactory(
                mcp,
                knowledge,
                config.rag(),
                this::definition,
                (name, limits) -> create(name, null, null, limits),
                new dev.miu.core.a2a.A2aTools(new dev.miu.core.a2a.A2aClient()),
                environment);
    }

    /**
     * The agents {@code miu serve} hosts: the declared ones and the implicit assistant, checked against the started
     * MCP servers (their tool lists too) and the knowledge base's collections ({@code knowledge} null: none, and
     * collections are not checked).
     *
     * @throws dev.miu.core.ConfigurationException naming every bad definition (file, agent, field)
     */
    public static ConfiguredAgents load(
            MiuConfig config, McpServers mcp, KnowledgeBase knowledge, ProviderOptions options) {
        List<String> servers = mcp.states().stream().map(McpServerState::name).toList();
        List<AgentDefinition> all = AgentDefinitions.all(config, servers);
        // the collections' folders, not the store's list, which would open every index during start-up
        List<String> collections = knowledge == null
                ? null
                : AgentReferences.collectionsIn(config.rag().storeDir());
        return of(all, config, AgentReferences.of(mcp, collections), mcp, knowledge, options);
    }

    /**
     * A catalog of {@code definitions}, checked against {@code references}; the default agent is
     * {@code default-agent} from {@code config}.
     */
    public static ConfiguredAgents of(
            List<AgentDefinition> definitions,
            MiuConfig config,
            AgentReferences references,
            McpServers mcp,
            KnowledgeBase knowledge,
            ProviderOptions options) {
        return of(definitions, config, references, mcp, knowledge, options, System::getenv);
    }

    /** As above; {@code environment} gives the values of the variables {@code a2a:} tools take their keys from. */
    public static ConfiguredAgents of(
            List<AgentDefinition> definitions,
            MiuConfig config,
            AgentReferences references,
            McpServers mcp,
            KnowledgeBase knowledge,
            ProviderOptions options,
            java.util.function.Function<String, String> environment) {
        AgentValidator.check(definitions, config, references);
        return new ConfiguredAgents(
                definitions, config.agents().defaultAgent(), config, mcp, knowledge, options, environment);
    }

    @Override
    public String defaultAgent() {
        return defaultAgent;
    }

    @Override
    public List<AgentDefinition> definitions() {
        return definitions;
    }

    private AgentDefinition definition(String name) {
        AgentDefinition d = byName.get(name);
        if (d == null) {
            throw new NoSuchElementException("No agent '" + name + "'; known: " + String.join(", ", names()));
        }
        return d;
    }

    @Override
    public Agent create(String name, String modelOverride, String instructionsOverride, SamplingLimits limits) {
        return switch (definition(name)) {
            case AgentDefinition.Model m -> model(m, modelOverride, instructionsOverride, limits);
            case AgentDefinition.Router r -> router(r, limits);
            case AgentDefinition.Pipeline p -> pipeline(p, limits);
            case AgentDefinition.Orchestrator o -> orchestrator(o, limits);
        };
    }

    private ReActAgent model(
            AgentDefinition.Model m, String modelOverride, String instructionsOverride, SamplingLimits limits) {
        ModelSpec spec = config.resolveModel(modelOverride != null ? modelOverride : m.model());
        var agentConfig = limits.applyTo(new AgentConfig(
                m.name(),
                instructionsOverride != null ? instructionsOverride : m.instructions(),
                spec.toString(),
                m.maxIterations(),
                m.maxTokens(),
                m.temperature()));
        ToolFactory.Toolset toolset = tools.toolset(m.tools(), limits);
        return new ReActAgent(
                agentConfig,
                provider(spec),
                toolset.registry(),
                new ContextWindow(config.agent().contextTokens()),
                toolset.policy());
    }

    /** The provider serving {@code spec}; a ConfigurationException naming what to set when it has no credentials. */
    private Provider provider(ModelSpec spec) {
        return providerCache.computeIfAbsent(spec.provider(), name -> providers.create(spec));
    }

    /** Its routes run under the turn's limits; its classifier keeps its own settings (it only picks a route). */
    private Agent router(AgentDefinition.Router r, SamplingLimits limits) {
        var builder = Router.builder(r.name());
        for (AgentDefinition.RouteDefinition route : r.routes()) {
            String description = route.description() != null
                    ? route.description()
                    : definition(route.agent()).description();
            builder.route(new Route(
                    route.agent(),
                    description,
                    create(route.agent(), null, null, limits),
                    rule(route),
                    route.priority()));
        }
        if (r.classifierModel() != null) {
            ModelSpec spec = config.resolveModel(r.classifierModel());
            builder.classifier(
                    new ReActAgent(AgentConfig.of(r.name() + "-classifier", spec.toString()), provider(spec)));
        }
        if (r.defaultAgent() != null) {
            boolean alsoARoute =
                    r.routes().stream().anyMatch(route -> route.agent().equals(r.defaultAgent()));
            builder.defaultRoute(
                    alsoARoute ? "default" : r.defaultAgent(),
                    definition(r.defaultAgent()).description(),
                    create(r.defaultAgent(), null, null, limits));
        }
        return builder.build().asAgent();
    }

    /** Keywords, a regular expression, either of both, or none (then only the classifier can choose the route). */
    private static RouteRule rule(AgentDefinition.RouteDefinition route) {
        RouteRule keywords = route.keywords().isEmpty() ? null : new RouteRule.Keywords(route.keywords());
        RouteRule regex = route.regex() == null ? null : RouteRule.regex(route.regex());
        if (keywords == null || regex == null) {
            return keywords != null ? keywords : regex;
        }
        return RouteRule.anyOf(List.of(keywords, regex));
    }

    private Agent pipeline(AgentDefinition.Pipeline p, SamplingLimits limits) {
        List<Stage> stages = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String agent : p.stages()) {
            String stage = agent;
            for (int n = 2; !names.add(stage); n++) {
                stage = agent + " (" + n + ")"; // the same agent twice: stage names must differ
            }
            stages.add(Stage.of(stage, create(agent, null, null, limits)));
        }
        return new Pipeline(p.name(), stages, true).asAgent();
    }

    private Agent orchestrator(AgentDefinition.Orchestrator o, SamplingLimits limits) {
        var builder = Orchestrator.builder(o.name()).maxParallel(o.maxParallel());
        o.uses().forEach(agent -> builder.agent(agent, create(agent, null, null, limits)));
        return builder.build().asAgent(request -> plan(o, request));
    }

    /** The tasks for one request: each asks its prompt, then the request, then the answers it depends on. */
    private static List<Task> plan(AgentDefinition.Orchestrator o, String request) {
        return o.tasks().stream()
                .map(t -> new Task(
                        t.id(),
                        t.agent(),
                        results -> {
                            var query = new StringBuilder();
                            if (!t.prompt().isBlank()) {
                                query.append(t.prompt().strip()).append("\n\n");
                            }
                            query.append("## Request\n").append(request);
                            results.forEach((dep, response) -> query.append("\n\n## Result of ")
                                    .append(dep)
                                    .append('\n')
                                    .append(response.text()));
                            return query.toString();
                        },
                        t.dependsOn()))
                .toList();
    }
}
