package dev.miu.studio.session;

import dev.miu.core.agent.PendingApprovals;
import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
import dev.miu.core.message.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link SessionRepository} does, whatever keeps the sessions: run against the file store and PostgreSQL
 * by the subclasses, so both behave the same.
 */
@Timeout(120)
public abstract class SessionRepositoryContract {

    protected SessionRepository store;

    /** A new, empty store. */
    protected abstract SessionRepository open();

    /** The same store as a second server (or after a restart) would see it. */
    protected abstract SessionRepository reopen();

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.shutdown();
        store.close();
    }

    /** Instants at microseconds, as every store keeps them. */
    static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    static Session session(String name, String agent, Instant updated) {
        return new Session(
                SessionIds.newId(),
                name,
                "openai:gpt-test",
                "Be kind.",
                updated,
                updated,
                List.of(),
                Usage.ZERO,
                agent);
    }

    static List<Message> toolConversation() {
        return List.of(
                Message.user("What is 2 + 3?"),
                new Message(
                        Role.ASSISTANT,
                        List.of(
                                new ContentBlock.Text("Let me add."),
                                new ContentBlock.ToolUse(
                                        "call_1", "add", Json.parseObject("{\"a\":2,\"b\":3,\"n\":{\"x\":[1,2.5]}}"))),
                        "calculator"),
                Message.toolResults(List.of(new ContentBlock.ToolResult("call_1", "5", false))),
                Message.assistant("It is 5 — ünïcödé ✓ \"quoted\" \\ back"));
    }

    protected static SessionApprovals pausedApprovals() {
        var use = new ContentBlock.ToolUse("call_9", "write", Json.parseObject("{\"path\":\"a.txt\"}"));
        var decided = new SessionApprovals.Item(
                "ap_1",
                "call_8",
                "coder",
                "edit",
                Json.parseObject("{\"path\":\"b.txt\"}"),
                now(),
                new SessionApprovals.Decision(
                        false,
                        "not that file",
                        now(),
                        new SessionApprovals.Decider(
                                SessionApprovals.Decider.Via.WEBSOCKET, "2001:db8:0:0:0:0:0:7", "Ada Lovelace ✓")),
                "--- a\n+++ b\n");
        // decided before miu recorded who decided: read back as not known
        var unknownDecider = new SessionApprovals.Item(
                "ap_0",
                "call_6",
                "coder",
                "edit",
                Json.EMPTY_OBJECT,
                now(),
                new SessionApprovals.Decision(true, "", now(), null),
                null);
        var waiting = new SessionApprovals.Item(
                "ap_2", "call_9", "coder", "write", Json.parseObject("{\"path\":\"a.txt\"}"), now(), null, null);
        return new SessionApprovals(
                List.of(waiting),
                new PendingApprovals(List.of(use), List.of(new ContentBlock.ToolResult("call_7", "ok", false))),
                Set.of("current_time"),
                List.of(unknownDecider, decided));
    }

    @Test
    void storesEverythingExactlyAndAnotherInstanceReadsIt() {
        Session s = store.create(session("Adding", "calculator", now()));
        Session updated = store.update(
                        s.id(),
                        x -> x.append(toolConversation(), new Usage(10, 20, 3, 4))
                                .withApprovals(pausedApprovals()))
                .orElseThrow();
        assertEquals(updated, store.find(s.id()).orElseThrow());
        SessionRepository other = reopen();
        try {
            assertEquals(updated, other.find(s.id()).orElseThrow(), "the same session, message for message");
            assertEquals(
                    new Usage(10, 20, 3, 4), other.find(s.id()).orElseThrow().usage());
        } finally {
            if (other != store) {
                other.shutdown();
                other.close();
            }
        }
    }

    @Test
    void updatesAppendRewriteAndShortenMessages() {
        Session s = store.create(session("Turns", null, now()));
        store.update(s.id(), x -> x.append(toolConversation()));
        store.update(s.id(), x -> x.append(List.of(Message.user("and 3 + 4?"), Message.assistant("7"))));
        assertEquals(6, store.find(s.id()).orElseThrow().messages().size());
        // a change that rewrites history (none does today, but the store must not assume appends only)
        Session shorter = store.update(
                        s.id(),
                        x -> new Session(
                                x.id(),
                                x.name(),
                                x.model(),
                                x.systemPrompt(),
                                x.createdAt(),
                                now(),
                                List.of(Message.user("only this")),
                                x.usage(),
                                x.agent(),
                                x.approvals()))
                .orElseThrow();
        assertEquals(shorter, store.find(s.id()).orElseThrow());
        // an approval decided, then the pause resumed: the items go to the audit
        store.update(s.id(), x -> x.withApprovals(pausedApprovals()));
        Session resumed = store.update(
                        s.id(),
                        x -> x.withApprovals(x.approvals()
                                .decide(
                                        "ap_2",
                                        new SessionApprovals.Decision(
                                                true,
                                                "",
                                                now(),
                                                new SessionApprovals.Decider(
                                                        SessionApprovals.Decider.Via.HTTP, "203.0.113.7", null)),
                                        true)
                                .resumed()))
                .orElseThrow();
        assertEquals(resumed, store.find(s.id()).orElseThrow());
    }

    @Test
    void aStagedChangeIsSeenAtOnce() {
        Session s = store.create(session("Staged", null, now()));
        store.stage(s.id(), x -> x.append(List.of(Message.user("hello"))));
        assertEquals(1, store.find(s.id()).orElseThrow().messages().size());
        assertTrue(store.stage(SessionIds.newId(), x -> x).isEmpty());
    }

    @Test
    void missingSessionsAreEmptyAndCreatingTwiceFails() {
        String id = SessionIds.newId();
        assertTrue(store.find(id).isEmpty());
        assertTrue(store.update(id, x -> x.withName("x")).isEmpty());
        assertFalse(store.delete(id));
        Session s = store.create(session("Once", null, now()));
        assertThrows(IllegalStateException.class, () -> store.create(s));
    }

    @Test
    void listsNewestFirstAndDeletes() {
        Instant t = now();
        Session older = store.create(session("Older", null, t.minusSeconds(10)));
        Session newer = store.create(session("Newer", null, t.minusSeconds(5)));
        assertEquals(
                List.of(newer.id(), older.id()),
                store.list().stream().map(SessionSummary::id).toList());
        assertTrue(store.delete(older.id()));
        assertTrue(store.find(older.id()).isEmpty());
        assertEquals(List.of(newer.summary()), store.list());
        assertTrue(store.isReady());
    }

    @Test
    void pagesWalkEverySessionOnceInOrder() {
        Instant t = now();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // two pairs share an update time: the id orders them
            Instant at = t.minusSeconds(100 - (i / 2) * 10L);
            expected.add(store.create(session("S" + i, null, at)).id());
        }
        List<String> seen = new ArrayList<>();
        SessionQuery.Cursor cursor = null;
        int pages = 0;
        do {
            SessionPage page = store.list(new SessionQuery(3, cursor, null, null, "assistant"));
            page.sessions().forEach(s -> seen.add(s.id()));
            cursor = page.nextCursor();
            if (cursor != null) {
                cursor = SessionQuery.Cursor.decode(cursor.encode()); // as a client sends it back
            }
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(new HashSet<>(expected), new HashSet<>(seen));
        assertEquals(
                store.list().stream()
                        .sorted(java.util.Comparator.comparing(SessionSummary::updatedAt)
                                .thenComparing(SessionSummary::id)
                                .reversed())
                        .map(SessionSummary::id)
                        .toList(),
                seen,
                "newest first, ties by id");
    }

    @Test
    void filtersByAgentAndByTextIgnoringCase() {
        Instant t = now();
        Session plain = store.create(session("Weekly report", null, t.minusSeconds(3)));
        Session coder = store.create(session("Refactor", "coder", t.minusSeconds(2)));
        Session chat = store.create(session("Untitled", "assistant", t.minusSeconds(1)));
        store.update(chat.id(), x -> x.append(List.of(Message.user("Where is the ZEBRA crossing?"))));
        store.update(
                coder.id(),
                x -> x.append(List.of(
                        new Message(
                                Role.ASSISTANT,
                                List.of(new ContentBlock.ToolUse(
                                        "c1", "grep", Json.parseObject("{\"pattern\":\"zebra\"}")))),
                        Message.toolResults(List.of(new ContentBlock.ToolResult("c1", "no match", false))))));

        assertEquals(
                List.of(chat.id(), plain.id()),
                ids(store.list(new SessionQuery(10, null, "assistant", null, "assistant"))),
                "a session naming no agent is the default agent's");
        assertEquals(List.of(coder.id()), ids(store.list(new SessionQuery(10, null, "coder", null, "assistant"))));
        assertEquals(List.of(), ids(store.list(new SessionQuery(10, null, "nobody", null, "assistant"))));
        assertEquals(
                List.of(chat.id()),
                ids(store.list(new SessionQuery(10, null, null, "zebra", "assistant"))),
                "message text, any case; not a tool call's arguments");
        assertEquals(List.of(plain.id()), ids(store.list(new SessionQuery(10, null, null, "WEEKLY", "assistant"))));
        assertEquals(List.of(coder.id()), ids(store.list(new SessionQuery(10, null, null, "no match", "assistant"))));
        assertEquals(List.of(), ids(store.list(new SessionQuery(10, null, "coder", "zebra", "assistant"))));
        SessionPage first = store.list(new SessionQuery(1, null, null, null, "assistant"));
        assertEquals(List.of(coder.id()), ids(first), "updated last");
        assertNull(
                store.list(new SessionQuery(3, null, null, null, "assistant")).nextCursor(), "no page after the last");
    }

    @Test
    void concurrentUpdatesOfOneSessionAreNeverLost() throws Exception {
        Session s = store.create(session("Busy", null, now()));
        int writers = 8;
        int each = 10;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        String text = writer + ":" + i;
                        store.update(s.id(), x -> x.append(List.of(Message.user(text))));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(Duration.ofSeconds(60).toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        Session after = store.find(s.id()).orElseThrow();
        assertEquals(writers * each, after.messages().size());
        assertEquals(
                writers * each,
                after.messages().stream().map(Message::text).distinct().count());
    }

    private static List<String> ids(SessionPage page) {
        return page.sessions().stream().map(SessionSummary::id).toList();
    }
}
