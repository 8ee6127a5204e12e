package dev.miu.studio;

import dev.miu.agents.AgentCatalog;
import dev.miu.agents.SamplingLimits;
import dev.miu.config.AgentDefinition;
import dev.miu.config.ToolRef;
import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.agent.Response;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.core.provider.Providers;
import dev.miu.core.tool.ToolContext;
import dev.miu.core.tool.ToolRegistry;
import dev.miu.studio.tools.StudioTools;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * A catalog for studio tests, on the scripted LLM: model agents are real {@link ReActAgent}s, and a router is a
 * tiny keyword router that frames its target's run as the composition contract says (AgentStart, the target's
 * events as Nested, AgentEnd; its messages marked with the target's name).
 */
public final class TestCatalog implements AgentCatalog {

    private final Providers providers;
    private final String defaultAgent;
    private final List<AgentDefinition> definitions;
    private final StudioTools tools;

    public TestCatalog(
            ProviderSettings providers, String defaultAgent, StudioTools tools, AgentDefinition... definitions) {
        this.providers = new Providers(providers, StudioFixtures.FAST_RETRIES);
        this.defaultAgent = defaultAgent;
        this.tools = tools;
        this.definitions = List.of(definitions);
    }

    /** A model agent on {@code model} (null: the scripted Anthropic model) with {@code instructions}. */
    public static AgentDefinition.Model model(String name, String description, String model, String instructions) {
        return new AgentDefinition.Model(
                name,
                description,
                Path.of("/agents/" + name + ".yaml"),
                model,
                instructions,
                5,
                1024,
                null,
                List.of(new ToolRef.Builtin("add")));
    }

    /** A router: each route is {@code agent} chosen by {@code keyword}; {@code fallback} answers the rest. */
    public static AgentDefinition.Router router(String name, String fallback, String... agentKeywordPairs) {
        var routes = new java.util.ArrayList<AgentDefinition.RouteDefinition>();
        for (int i = 0; i + 1 < agentKeywordPairs.length; i += 2) {
            routes.add(new AgentDefinition.RouteDefinition(
                    agentKeywordPairs[i],
                    "route to " + agentKeywordPairs[i],
                    List.of(agentKeywordPairs[i + 1]),
                    null,
                    1));
        }
        return new AgentDefinition.Router(
                name,
                "Sends each question to the right agent",
                Path.of("/agents/" + name + ".yaml"),
                routes,
                null,
                fallback);
    }

    @Override
    public String defaultAgent() {
        return defaultAgent;
    }

    @Override
    public List<AgentDefinition> definitions() {
        return definitions;
    }

    @Override
    public Agent create(String name, String modelOverride, String instructionsOverride, SamplingLimits limits) {
        AgentDefinition definition = find(name).orElseThrow(() -> new NoSuchElementException(name));
        return switch (definition) {
            case AgentDefinition.Model m -> {
                String model = modelOverride != null ? modelOverride : m.model() != null ? m.model() : "anthropic";
                ModelSpec spec = providers.withDefaultModel(ModelSpec.parse(model));
                var config = limits.applyTo(new AgentConfig(
                        name,
                        instructionsOverride != null ? instructionsOverride : m.instructions(),
                        spec.toString(),
                        m.maxIterations(),
                        m.maxTokens(),
                        m.temperature()));
                ToolRegistry registry = tools.registry();
                yield new ReActAgent(config, providers.create(spec), registry);
            }
            case AgentDefinition.Router r -> new KeywordRouter(r, limits);
            default -> throw new UnsupportedOperationException("test catalogs run model agents and routers only");
        };
    }

    /** Picks a route by keyword in the last user message, runs it, and frames its run. */
    private final class KeywordRouter implements Agent {

        private final AgentDefinition.Router definition;
        private final SamplingLimits limits;

        KeywordRouter(AgentDefinition.Router definition, SamplingLimits limits) {
            this.definition = definition;
            this.limits = limits;
        }

        @Override
        public AgentConfig config() {
            return AgentConfig.of(definition.name(), "router");
        }

        @Override
        public Response stream(List<Message> conversation, ToolContext context, Consumer<AgentEvent> events) {
            String target = choose(conversation);
            events.accept(new AgentEvent.AgentStart(target));
            Response response = create(target, null, null, limits).stream(conversation, context, e -> {
                switch (e) {
                    case AgentEvent.Done ignored -> {}
                    case AgentEvent.Nested n -> events.accept(n);
                    default -> events.accept(new AgentEvent.Nested(target, e));
                }
            });
            events.accept(new AgentEvent.AgentEnd(target, response.stopReason()));
            events.accept(new AgentEvent.Done(response.stopReason(), response.usage()));
            List<Message> marked = response.messages().stream()
                    .map(m -> m.agent() == null ? m.withAgent(target) : m)
                    .toList();
            return new Response(marked, response.stopReason(), response.usage(), response.iterations());
        }

        private String choose(List<Message> conversation) {
            String text = "";
            for (Message m : conversation) {
                if (m.role() == Role.USER && !m.text().isEmpty()) {
                    text = m.text().toLowerCase(Locale.ROOT);
                }
            }
            for (AgentDefinition.RouteDefinition route : definition.routes()) {
                for (String keyword : route.keywords()) {
                    if (text.contains(keyword.toLowerCase(Locale.ROOT))) {
                        return route.agent();
                    }
                }
            }
            return definition.defaultAgent();
        }
    }
}
