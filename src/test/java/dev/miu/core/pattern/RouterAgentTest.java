package dev.miu.core.pattern;

import dev.miu.core.agent.Agent;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.Response;
import dev.miu.core.message.Message;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.provider.ProviderException;
import dev.miu.core.tool.ToolContext;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A router hosted as an agent: it streams the chosen route's run, framed, and answers for it. */
@Timeout(30)
class RouterAgentTest {

    @RegisterExtension
    final ScriptedLlmServer server = ScriptedLlmServer.start();

    final List<AgentEvent> events = new CopyOnWriteArrayList<>();

    private Agent scripted(String name, String model) {
        return TestAgents.scripted(server, name, model);
    }

    @Test
    void aKeywordRouteAnswersOnTheWholeConversationWithItsEventsFramed() {
        server.enqueue(Reply.text("Your refund is on its way.").withUsage(30, 6));
        Agent router = Router.builder("help-desk")
                .route(
                        "billing",
                        "Payments",
                        scripted("billing", "anthropic:claude-test"),
                        RouteRule.keywords("refund"),
                        9)
                .defaultRoute("general", "Anything else", scripted("general", "anthropic:claude-test"))
                .build()
                .asAgent();

        Response response = router.stream(
                List.of(
                        Message.user("Hello"),
                        Message.assistant("Hi, how can I help?"),
                        Message.user("A refund, please")),
                ToolContext.current(),
                events::add);

        assertEquals("help-desk", router.config().name());
        assertEquals(
                List.of("start billing", "text billing", "usage billing", "end billing end_turn", "done end_turn"),
                EventLog.outline(events));
        assertEquals("Your refund is on its way.", EventLog.text(events, "billing"));
        assertEquals(
                List.of(Message.assistant("Your refund is on its way.").withAgent("billing")), response.messages());
        assertEquals(StopReason.END_TURN, response.stopReason());
        assertEquals(new Usage(30, 6), response.usage());
        String sent = server.lastRequest().body();
        assertTrue(sent.contains("Hi, how can I help?"), "the route agent sees the history: " + sent);
    }

    @Test
    void theClassifierChoosesWhenNoKeywordMatchesAndItsCallIsTheRoutersOwn() {
        server.enqueue(
                Reply.text("tech").withUsage(40, 1), Reply.text("Restart it.").withUsage(20, 3));
        Agent router = Router.builder("help-desk")
                .route(
                        "billing",
                        "Payments",
                        scripted("billing", "anthropic:claude-test"),
                        RouteRule.keywords("refund"),
                        9)
                .route("tech", "Crashes and bugs", scripted("tech", "openai:gpt-test"))
                .classifier(scripted("classifier", "anthropic:claude-test"))
                .build()
                .asAgent();

        Response response =
                router.stream(List.of(Message.user("My app keeps closing")), ToolContext.current(), events::add);

        assertEquals(
                List.of("usage", "start tech", "text tech", "usage tech", "end tech end_turn", "done end_turn"),
                EventLog.outline(events),
                "the classifier's call is reported as the router's own usage, then the route runs");
        assertEquals("tech", response.messages().getFirst().agent());
        assertEquals("Restart it.", response.text());
        assertEquals(new Usage(60, 4), response.usage());
        assertEquals(new AgentEvent.Done(StopReason.END_TURN, new Usage(60, 4)), events.getLast());
        assertTrue(server.requests().get(0).body().contains("- tech: Crashes and bugs"));
    }

    @Test
    void noRouteAndNoDefaultIsAPatternExceptionBeforeAnythingRuns() {
        Agent router = Router.builder("strict")
                .route("billing", null, scripted("billing", "anthropic:claude-test"), RouteRule.keywords("refund"), 0)
                .build()
                .asAgent();

        var e = assertThrows(
                PatternException.class,
                () -> router.stream(List.of(Message.user("Tell me a joke")), ToolContext.current(), events::add));

        assertTrue(e.getMessage().contains("Router 'strict': no route matches"), e.getMessage());
        assertEquals(List.of(), events);
    }

    @Test
    void aFailingRouteAgentEndsItsFrameWithAnErrorAndThrowsAsAPlainAgentWould() {
        server.enqueue(Reply.status(400, "the model is unavailable"));
        Agent router = Router.builder("desk")
                .defaultRoute("general", "Anything", scripted("general", "anthropic:claude-test"))
                .build()
                .asAgent();

        var e = assertThrows(
                ProviderException.class,
                () -> router.stream(List.of(Message.user("Hello")), ToolContext.current(), events::add));

        assertTrue(e.getMessage().contains("the model is unavailable"), e.getMessage());
        assertEquals(List.of("start general", "end general error"), EventLog.outline(events));
    }
}
