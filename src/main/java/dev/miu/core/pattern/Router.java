package dev.miu.core.pattern;

import dev.miu.core.CancelledException;
import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.Response;
import dev.miu.core.message.Message;
import dev.miu.core.message.StopReason;
import dev.miu.core.tool.ToolContext;
import io.opentelemetry.api.trace.Span;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Sends each query to one agent. Routes with rules are tried from the highest priority down (ties keep the order
 * they were added); if none matches, a classifier model (if set) picks a route by name; then the default route;
 * with neither, the query is refused with a {@link PatternException}. {@link #decide} is the dry run: it says
 * which route would answer without running it (it may still ask the classifier model).
 *
 * <pre>{@code
 * var router = Router.builder("support")
 *         .route("billing", "Invoices, refunds, payments", billingAgent, RouteRule.keywords("refund", "invoice"), 10)
 *         .route("tech", "Bugs and errors", techAgent, RouteRule.regex("error|exception|crash"), 5)
 *         .classifier(classifierAgent)
 *         .defaultRoute("general", "Anything else", generalAgent)
 *         .build();
 * RouterResult result = router.run("I need a refund for my last invoice");
 * }</pre>
 */
public final class Router {

    private final String name;
    private final Map<String, Route> routes; // by name, in the order added
    private final List<Route> ruleOrder; // routes with rules, by priority (stable)
    private final Route defaultRoute;
    private final Agent classifier;
    private final List<Route> routeList; // in the order added

    private Router(Builder b) {
        this.name = b.name;
        this.routes = Map.copyOf(b.routes);
        this.ruleOrder = b.routes.values().stream()
                .filter(r -> r.rule() != null)
                .sorted(Comparator.comparingInt(Route::priority).reversed()) // List.sort is stable
                .toList();
        this.defaultRoute = b.defaultRoute;
        this.classifier = b.classifier;
        this.routeList = List.copyOf(b.routes.values());
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** Routes in the order they were added (the default route included). */
    public List<Route> routes() {
        return routeList;
    }

    /**
     * Chooses the route for {@code query} without running it: rules by priority, then the classifier, then the
     * default route.
     *
     * @throws PatternException when nothing matches and there is no default route
     */
    public RouteDecision decide(String query) {
        return decide(query, classified -> {});
    }

    /** As {@link #decide(String)}, handing the classifier's response (if it was asked) to {@code classified}. */
    private RouteDecision decide(String query, Consumer<Response> classified) {
        if (query == null || query.isBlank()) {
            throw new PatternException("Router '" + name + "' was given an empty query");
        }
        for (Route route : ruleOrder) {
            if (route.rule().matches(query)) {
                return new RouteDecision(
                        route.name(),
                        RouteDecision.Method.RULE,
                        route.rule().describe() + " (priority " + route.priority() + ")");
            }
        }
        String classifierNote = "";
        if (classifier != null) {
            String answer;
            try {
                answer = classify(query, classified);
            } catch (CancelledException e) {
                throw e;
            } catch (RuntimeException e) {
                answer = null;
                classifierNote = "; the classifier failed: " + AgentRuns.message(e);
            }
            if (answer != null) {
                Route chosen = match(answer);
                if (chosen != null) {
                    return new RouteDecision(
                            chosen.name(),
                            RouteDecision.Method.CLASSIFIER,
                            "classifier answered '" + chosen.name() + "'");
                }
                classifierNote = "; the classifier answered '" + abbreviate(answer) + "', which names no route";
            }
        }
        if (defaultRoute != null) {
            return new RouteDecision(
                    defaultRoute.name(),
                    RouteDecision.Method.DEFAULT,
                    "no rule matched" + classifierNote + ": default route");
        }
        throw new PatternException("Router '" + name + "': no route matches the query" + classifierNote
                + ", and there is no default route (routes: "
                + String.join(", ", routes.keySet().stream().sorted().toList()) + ")");
    }

    /** Chooses a route, then runs its agent on the query. A failing agent is reported in the result's outcome. */
    public RouterResult run(String query) {
        ToolContext context = ToolContext.current();
        return SubAgentRuns.inSpan(name, "route " + name, "route", context, span -> {
            RouteDecision decision = decide(query);
            chosen(span, decision);
            Route route = routes.get(decision.route());
            Outcome outcome = SubAgentRuns.silent().run(route.agent(), List.of(Message.user(query)), context);
            return new RouterResult(name, decision, outcome);
        });
    }

    /**
     * This router as an agent a server can host: it chooses a route for the text of the conversation's last (user)
     * message, then runs the route's agent on the whole conversation, so it sees the history. Its stream frames the
     * route agent's events ({@code AgentStart}, {@code Nested}, {@code AgentEnd}); a classifier's model call is
     * reported as the router's own usage. The response holds the answer alone, marked with the agent that gave it
     * (the route agent's tool calls stay out of the history, since another route may answer the next message
     * without those tools). A cancelled run ends with {@code CANCELLED}; a failing route agent's exception is thrown,
     * as a plain agent's would be.
     *
     * @throws PatternException (from its stream) when no route matches and there is no default route
     */
    public Agent asAgent() {
        return PatternAgent.of(name, "router", this::stream);
    }

    private Response stream(List<Message> conversation, ToolContext context, Consumer<AgentEvent> events) {
        String query = SubAgentRuns.lastUserText(conversation, "Router '" + name + "'");
        var runs = new SubAgentRuns(events);
        return SubAgentRuns.inSpan(name, "route " + name, "route", context, span -> {
            Route route;
            Response response;
            try {
                RouteDecision decision = decide(query, runs::own);
                chosen(span, decision);
                route = routes.get(decision.route());
                response = runs.stream(route.agent(), conversation, context);
            } catch (CancelledException e) {
                Thread.interrupted(); // handled: the run ends CANCELLED, as an agent's does
                return runs.finish(List.of(), StopReason.CANCELLED);
            }
            String routed = route.agent().config().name();
            if (response.stopReason() == StopReason.AWAITING_APPROVAL) {
                // the chosen agent waits for a person: its messages (the calls) are the pause, and it is the agent
                // that resumes, with the whole conversation as the router gave it
                List<Message> paused = response.messages().stream()
                        .map(m -> m.agent() == null ? m.withAgent(routed) : m)
                        .toList();
                return runs.finishPaused(paused, response.pending().pausedBy(routed));
            }
            String answer = response.text();
            List<Message> messages = answer.isBlank()
                    ? List.of()
                    : List.of(Message.assistant(answer).withAgent(routed));
            return runs.finish(messages, response.stopReason());
        });
    }

    private static void chosen(Span span, RouteDecision decision) {
        span.setAttribute("miu.route.chosen", decision.route());
        span.setAttribute("miu.route.method", decision.method().name().toLowerCase(Locale.ROOT));
    }

    private String classify(String query, Consumer<Response> classified) {
        var prompt = new StringBuilder("""
                You are a router. Choose the one route that should handle the user's request below.
                Answer with the route's name only, exactly as written, or NONE if no route fits.

                Routes:
                """);
        for (Route route : routeList) {
            prompt.append("- ")
                    .append(route.name())
                    .append(": ")
                    .append(route.description())
                    .append('\n');
        }
        prompt.append("\nRequest:\n").append(query);
        Response response = classifier.run(prompt.toString());
        if (response.stopReason() == StopReason.CANCELLED) {
            throw new CancelledException("the router's classifier was cancelled");
        }
        classified.accept(response);
        return response.text();
    }

    /** The route the classifier named: its answer, trimmed of quotes, backticks and a final full stop. */
    private Route match(String answer) {
        String cleaned = answer.strip()
                .lines()
                .findFirst()
                .orElse("")
                .strip()
                .replaceAll("^[\"'`*]+|[\"'`*.]+$", "")
                .strip()
                .toLowerCase(Locale.ROOT);
        for (Route route : routeList) {
            if (route.name().toLowerCase(Locale.ROOT).equals(cleaned)) {
                return route;
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() > 60 ? one.substring(0, 60) + "…" : one;
    }

    /** Adds routes, the default route and the classifier. */
    public static final class Builder {
        private final String name;
        private final Map<String, Route> routes = new LinkedHashMap<>();
        private Route defaultRoute;
        private Agent classifier;

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new PatternException("A router needs a name");
            }
            this.name = name;
        }

        public Builder route(Route route) {
            Objects.requireNonNull(route, "route");
            if (routes.putIfAbsent(route.name(), route) != null) {
                throw new PatternException("Router '" + name + "' has two routes named '" + route.name() + "'");
            }
            return this;
        }

        public Builder route(String name, String description, Agent agent, RouteRule rule, int priority) {
            return route(new Route(name, description, agent, rule, priority));
        }

        /** A route without a rule: only the classifier can choose it. */
        public Builder route(String name, String description, Agent agent) {
            return route(new Route(name, description, agent, null, 0));
        }

        /** The route for queries nothing else claims. */
        public Builder defaultRoute(String name, String description, Agent agent) {
            if (defaultRoute != null) {
                throw new PatternException(
                        "Router '" + this.name + "' already has default route '" + defaultRoute.name() + "'");
            }
            Route route = new Route(name, description, agent, null, Integer.MIN_VALUE);
            route(route);
            defaultRoute = route;
            return this;
        }

        /** A model that picks a route by name when no rule matches. */
        public Builder classifier(Agent classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier");
            return this;
        }

        public Router build() {
            if (routes.isEmpty()) {
                throw new PatternException("Router '" + name + "' has no routes");
            }
            return new Router(this);
        }
    }
}
