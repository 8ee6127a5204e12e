package dev.miu.studio;

import dev.miu.config.DatabaseSettings;
import dev.miu.config.MiuConfig;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.studio.chat.ActiveTurns;
import dev.miu.studio.chat.ChatEvent;
import dev.miu.studio.chat.ChatRunner;
import dev.miu.studio.chat.ChatTurn;
import dev.miu.studio.chat.TurnResult;
import dev.miu.studio.session.FileSessionRepository;
import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionApprovals;
import dev.miu.studio.session.SessionIds;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.session.postgres.PostgresSessionRepository;
import dev.miu.testing.PostgresServer;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A decision that lands while the paused turn still holds its session (its wait ending: time up, the client gone),
 * on this server or on another sharing the database, is not stranded: the ending turn reads the session again once
 * it has let go and continues the run. A run decided but never continued (its server stopped) asks again.
 */
@Timeout(120)
class ApprovalRaceTest {

    @RegisterExtension
    static final ScriptedLlmServer scripted = ScriptedLlmServer.start();

    /** Who decides here: the runner is called directly, as a route would call it. */
    private static final SessionApprovals.Decider BY =
            new SessionApprovals.Decider(SessionApprovals.Decider.Via.HTTP, null, "race test");

    @RegisterExtension
    static final PostgresServer DB = new PostgresServer();

    @Test
    void aDecisionWhileThePausedTurnStillHoldsTheSessionContinuesTheRun() throws Exception {
        Path data = StudioFixtures.tempDir();
        Path workspace = Files.createDirectories(data.resolve("ws"));
        var store = new Hooked(new FileSessionRepository(data));
        ChatRunner runner = runner(data, workspace, store, new ActiveTurns());
        assertDecisionInTheWindowContinues(runner, runner, store, workspace);
    }

    @Test
    void aDecisionOnAnotherServerWhileThePausedTurnStillHoldsTheSessionContinuesTheRun() throws Exception {
        Path data = StudioFixtures.tempDir();
        Path workspace = Files.createDirectories(data.resolve("ws"));
        var settings = new DatabaseSettings(DB.url(), PostgresServer.USER, null, 4, Duration.ofSeconds(5));
        var pgA = PostgresSessionRepository.open(settings);
        var pgB = PostgresSessionRepository.open(settings);
        try {
            var storeA = new Hooked(pgA);
            ChatRunner a = runner(data, workspace, storeA, new ActiveTurns(pgA.leases(Duration.ofSeconds(30), "A")));
            ChatRunner b = runner(data, workspace, pgB, new ActiveTurns(pgB.leases(Duration.ofSeconds(30), "B")));
            assertDecisionInTheWindowContinues(a, b, storeA, workspace);
        } finally {
            pgA.close();
            pgB.close();
        }
    }

    /**
     * A turn on {@code a} pauses at two writes and ends at once (no wait); in the moment its pause is stored and it
     * still holds the session, both calls are decided on {@code deciding}: the last decision is recorded as going on,
     * and the turn on {@code a} continues the run itself.
     */
    private static void assertDecisionInTheWindowContinues(
            ChatRunner a, ChatRunner deciding, Hooked storeA, Path workspace) throws Exception {
        String id = newSession(storeA);
        scripted.enqueue(
                Reply.turn(ApprovalChatTest.write("w1", "a.txt", "A"), ApprovalChatTest.write("w2", "b.txt", "B")),
                Reply.text("One written."));
        List<ChatRunner.Decided> decided = new CopyOnWriteArrayList<>();
        storeA.afterPausedWrite = session -> {
            // another request, on its own thread, while the turn's thread is inside its store write
            var items = session.approvals().undecided();
            CompletableFuture.runAsync(() -> {
                        decided.add(deciding.decide(id, items.get(0).approvalId(), true, "", false, BY));
                        decided.add(deciding.decide(id, items.get(1).approvalId(), false, "not b", false, BY));
                    })
                    .get(30, TimeUnit.SECONDS);
        };
        List<ChatEvent> events = new CopyOnWriteArrayList<>();
        ChatTurn turn = a.begin(id);
        TurnResult result;
        try (turn) {
            result = a.run(turn, "Write both", events::add);
        }
        assertEquals(2, decided.size(), "both decisions recorded: " + decided);
        var last = assertInstanceOf(ChatRunner.Decided.Recorded.class, decided.get(1));
        assertTrue(last.continuing(), "the last one goes on with the turn that held the session");
        assertEquals(StopReason.END_TURN, result.stopReason(), "the run went on: " + events);
        assertEquals("One written.", result.response());
        assertEquals("A", Files.readString(workspace.resolve("a.txt")));
        assertTrue(Files.notExists(workspace.resolve("b.txt")));
        assertTrue(scripted.lastRequest().body().contains("not b"), "the model read the denial");
        Session stored = storeA.find(id).orElseThrow();
        assertTrue(stored.approvals().items().isEmpty(), "nothing waits");
        assertEquals(2, stored.approvals().audit().size());
        // the session is free again, here and for the other server
        ChatTurn next = deciding.begin(id);
        next.close();
    }

    @Test
    void aRunDecidedButNeverContinuedAsksAgain() throws Exception {
        Path data = StudioFixtures.tempDir();
        Path workspace = Files.createDirectories(data.resolve("ws"));
        var store = new Hooked(new FileSessionRepository(data));
        ChatRunner runner = runner(data, workspace, store, new ActiveTurns());
        String id = newSession(store);
        scripted.enqueue(Reply.turn(ApprovalChatTest.write("w1", "a.txt", "A")));
        TurnResult paused;
        ChatTurn turn = runner.begin(id);
        try (turn) {
            paused = runner.run(turn, "Write a", e -> {});
        }
        assertEquals(StopReason.AWAITING_APPROVAL, paused.stopReason());
        String approval =
                store.find(id).orElseThrow().approvals().undecided().getFirst().approvalId();
        // what a server that stopped while it continued leaves behind: decided, never continued
        store.update(
                id,
                s -> s.withApprovals(s.approvals()
                        .decide(approval, new SessionApprovals.Decision(true, "", Instant.now(), BY), false)));

        var refused = assertThrows(StudioException.class, () -> runner.begin(id));
        assertEquals(409, refused.status());
        assertTrue(refused.getMessage().contains(approval), refused.getMessage());
        assertEquals(1, store.find(id).orElseThrow().approvals().undecided().size(), "it waits for a person again");
        assertTrue(Files.notExists(workspace.resolve("a.txt")), "not run unasked");

        scripted.enqueue(Reply.text("Written."));
        var decided = runner.decide(id, approval, true, "", false, BY);
        var go = assertInstanceOf(ChatRunner.Decided.Continue.class, decided);
        TurnResult result;
        try (ChatTurn resumed = go.turn()) {
            result = runner.resume(resumed, e -> {});
        }
        assertEquals(StopReason.END_TURN, result.stopReason());
        assertEquals("A", Files.readString(workspace.resolve("a.txt")));
    }

    private static ChatRunner runner(Path data, Path workspace, SessionRepository store, ActiveTurns turns) {
        MiuConfig config = StudioFixtures.config(scripted.settings(), data, StudioFixtures.server());
        config = config.withAgent(config.agent().withApprovalTimeout(Duration.ZERO)); // a paused turn ends at once
        return new ChatRunner(config, store, ApprovalChatTest.agents(scripted, data, workspace), turns);
    }

    private static String newSession(SessionRepository store) {
        Instant now = Instant.now();
        return store.create(
                        new Session(SessionIds.newId(), "race", null, null, now, now, List.of(), Usage.ZERO, "coder"))
                .id();
    }

    /** A store that runs {@link #afterPausedWrite} once, right after the write that stores a pause. */
    private static final class Hooked extends DelegatingSessionRepository {
        volatile ThrowingConsumer<Session> afterPausedWrite;

        Hooked(SessionRepository store) {
            super(store);
        }

        interface ThrowingConsumer<T> {
            void accept(T t) throws Exception;
        }

        @Override
        public Optional<Session> update(String id, UnaryOperator<Session> change) {
            Optional<Session> saved = store.update(id, change);
            ThrowingConsumer<Session> hook = afterPausedWrite;
            if (hook != null
                    && saved.isPresent()
                    && !saved.get().approvals().undecided().isEmpty()) {
                afterPausedWrite = null;
                try {
                    hook.accept(saved.get());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return saved;
        }
    }
}
