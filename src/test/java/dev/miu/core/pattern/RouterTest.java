package dev.miu.core.pattern;

import dev.miu.core.agent.Agent;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class RouterTest {

    @RegisterExtension
    final ScriptedLlmServer server = ScriptedLlmServer.start();

    private static Agent named(String name) {
        return TestAgents.java(name, q -> name + " answers");
    }

    @Test
    void rulesAreTriedByPriorityWithTiesInTheOrderAdded() {
        var router = Router.builder("support")
                .route("general-tech", "Tech", named("general-tech"), RouteRule.regex("error|crash"), 1)
                .route("billing", "Money", named("billing"), RouteRule.keywords("refund", "invoice"), 10)
                .route("billing-vip", "VIP money", named("billing-vip"), RouteRule.keywords("refund"), 10)
                .route("short", "Short", named("short"), RouteRule.predicate("under 10 chars", q -> q.length() < 10), 0)
                .build();

        var both = router.decide("I got an error and want a refund");
        assertEquals("billing", both.route(), "higher priority first; on a tie the one added first");
        assertEquals(RouteDecision.Method.RULE, both.method());
        assertEquals("keywords [refund, invoice] (priority 10)", both.reason());
        assertEquals("general-tech", router.decide("The app showed an ERROR").route());
        assertEquals("short", router.decide("hi there").route());
        assertEquals("billing answers", router.run("where is my invoice?").text());
    }

    @Test
    void keywordsMatchWholeWordsOnly() {
        var router = Router.builder("r")
                .route("billing", null, named("billing"), RouteRule.keywords("refund"), 0)
                .defaultRoute("general", "Anything", named("general"))
                .build();

        assertEquals("general", router.decide("I was refunded already").route());
        assertEquals("billing", router.decide("Refund, please!").route());
    }

    @Test
    void theClassifierModelPicksARouteWhenNoRuleMatches() {
        server.enqueue(Reply.text("`billing`."), Reply.text("Your refund is on its way."));
        var router = Router.builder("support")
                .route("tech", "Bugs, errors and crashes", named("tech"), RouteRule.keywords("bug"), 5)
                .route(
                        "billing",
                        "Payments, invoices, refunds",
                        TestAgents.scripted(server, "billing", "openai:gpt-test"))
                .classifier(TestAgents.scripted(server, "classifier", "anthropic:claude-test"))
                .defaultRoute("general", "Anything else", named("general"))
                .build();

        RouterResult result = router.run("I paid twice last month");

        assertEquals("billing", result.decision().route());
        assertEquals(RouteDecision.Method.CLASSIFIER, result.decision().method());
        assertEquals("Your refund is on its way.", result.text());
        String prompt = server.requests().get(0).body();
        assertTrue(prompt.contains("- billing: Payments, invoices, refunds"), prompt);
        assertTrue(prompt.contains("I paid twice last month"), prompt);
        assertEquals("/v1/chat/completions", server.requests().get(1).path());
        server.assertAllConsumed();
    }

    @Test
    void aClassifierAnswerNamingNoRouteFallsBackToTheDefaultAndSaysSo() {
        server.enqueue(Reply.text("NONE"));
        var router = Router.builder("r")
                .route("billing", "Payments", named("billing"))
                .classifier(TestAgents.scripted(server, "classifier", "anthropic:claude-test"))
                .defaultRoute("general", "Anything else", named("general"))
                .build();

        var decision = router.decide("What's the weather?");

        assertEquals("general", decision.route());
        assertEquals(RouteDecision.Method.DEFAULT, decision.method());
        assertTrue(
                decision.reason().contains("the classifier answered 'NONE', which names no route"), decision.reason());
        server.assertAllConsumed();
    }

    @Test
    void noMatchAndNoDefaultIsAClearError() {
        var router = Router.builder("strict")
                .route("billing", null, named("billing"), RouteRule.keywords("refund"), 0)
                .route("tech", null, named("tech"), RouteRule.regex("crash"), 0)
                .build();

        var e = assertThrows(PatternException.class, () -> router.run("Tell me a joke"));

        assertTrue(e.getMessage().contains("no route matches the query"), e.getMessage());
        assertTrue(e.getMessage().contains("no default route"), e.getMessage());
        assertTrue(e.getMessage().contains("billing, tech"), e.getMessage());
    }

    @Test
    void aDryRunChoosesWithoutRunningTheRoute() {
        var router = Router.builder("r")
                .route(
                        "billing",
                        null,
                        TestAgents.scripted(server, "billing", "openai:gpt-test"),
                        RouteRule.keywords("refund"),
                        0)
                .build();

        var decision = router.decide("refund please");

        assertEquals("billing", decision.route());
        assertEquals(0, server.requestCount(), "the route's agent was not called");
    }

    @Test
    void aRouteMayMatchOnKeywordsOrARegex() {
        RouteRule either = RouteRule.anyOf(List.of(RouteRule.keywords("refund"), RouteRule.regex("invoice #\\d+")));

        assertTrue(either.matches("A refund, please"));
        assertTrue(either.matches("About invoice #42"));
        assertFalse(either.matches("About invoice 42"));
        assertEquals("keywords [refund] or regex /invoice #\\d+/", either.describe());
    }

    @Test
    void badSetupIsRefused() {
        assertThrows(PatternException.class, () -> Router.builder("r").build());
        assertThrows(
                PatternException.class,
                () -> Router.builder("r").route("a", null, named("a")).route("a", null, named("a")));
        assertThrows(PatternException.class, () -> RouteRule.regex("(unclosed"));
        assertThrows(PatternException.class, () -> RouteRule.keywords());
        assertThrows(PatternException.class, () -> new Route("bad name", null, named("x"), null, 0));
    }
}
