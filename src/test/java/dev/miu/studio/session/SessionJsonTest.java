package dev.miu.studio.session;

import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
import dev.miu.core.message.Usage;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session file text (the session's JSON plus a version, built incrementally from the last write's messages) and
 * the journal's appended records, which rebuild a session from its previous write.
 */
class SessionJsonTest {

    private static final Instant CREATED = Instant.parse("2026-11-24T10:15:30.123456Z");

    private static Session session(List<Message> messages) {
        return new Session(
                SessionIds.newId(),
                "quotes \" and \\ and ünïcödé ✓",
                null,
                "line\nbreak",
                CREATED,
                CREATED.plusSeconds(5),
                messages,
                new Usage(10, 20, 3, 4));
    }

    private static List<Message> conversation() {
        return List.of(
                Message.user("What is 2 + 3?"),
                new Message(
                        Role.ASSISTANT,
                        List.of(
                                new ContentBlock.Text("Let me add."),
                                new ContentBlock.ToolUse(
                                        "call_1", "add", Json.parseObject("{\"a\":2,\"b\":[3,{\"c\":null}]}")))),
                Message.toolResults(List.of(new ContentBlock.ToolResult("call_1", "5 </script> \u0001", true))),
                Message.assistant("It is 5"));
    }

    /** What the file must hold: the API's session JSON plus the file version. */
    private static JsonObject expected(Session s) {
        return Json.PROVIDER
                .createObjectBuilder(SessionJson.toJson(s))
                .add("version", SessionJson.FILE_VERSION)
                .build();
    }

    @Test
    void theFileTextIsTheSessionJsonPlusItsVersionAndReadsBackExactly() {
        Session s = session(conversation());
        String text = SessionJson.fileText(SessionJson.written(s, null));
        assertEquals(expected(s), Json.parseObject(text));
        assertEquals(s, SessionJson.fromFile(Json.parseObject(text)));

        Session empty = session(List.of());
        assertEquals(expected(empty), Json.parseObject(SessionJson.fileText(SessionJson.written(empty, null))));
    }

    @Test
    void aLaterWriteReusesTheJsonOfTheMessagesItSharesAndSerializesOnlyTheRest() {
        Session first = session(conversation());
        SessionJson.Written before = SessionJson.written(first, null);
        SessionJson.fileText(before);
        Session next = first.append(List.of(Message.user("And 4 + 4?"), Message.assistant("8")), new Usage(1, 1, 0, 0));

        SessionJson.Written after = SessionJson.written(next, before);
        assertEquals(first.messages().size(), after.appendedFrom(), "it only appended");
        assertEquals(expected(next), Json.parseObject(SessionJson.fileText(after)));
        for (int i = 0; i < first.messages().size(); i++) {
            assertSame(before.messageJson(i), after.messageJson(i), "message " + i + " reused");
        }
        assertEquals(next, SessionJson.fromFile(Json.parseObject(SessionJson.fileText(after))));
    }

    @Test
    void messagesThatAreNotTheSameInstancesAreSerializedAgainAndTheWriteIsNotAnAppend() {
        Session first = session(conversation());
        SessionJson.Written before = SessionJson.written(first, null);
        SessionJson.fileText(before);
        List<Message> changed = new ArrayList<>(first.messages());
        changed.set(1, Message.assistant("edited"));
        Session edited = new Session(
                first.id(),
                first.name(),
                first.model(),
                first.systemPrompt(),
                first.createdAt(),
                first.updatedAt(),
                changed,
                first.usage());

        SessionJson.Written after = SessionJson.written(edited, before);
        assertEquals(-1, after.appendedFrom());
        assertEquals(expected(edited), Json.parseObject(SessionJson.fileText(after)));
        assertSame(before.messageJson(0), after.messageJson(0));
        assertNotSame(before.messageJson(2), after.messageJson(2), "after a change, nothing later is reused");
        Session shorter = new Session(
                first.id(),
                first.name(),
                first.model(),
                first.systemPrompt(),
                first.createdAt(),
                first.updatedAt(),
                first.messages().subList(0, 2),
                first.usage());
        SessionJson.Written truncated = SessionJson.written(shorter, before);
        assertEquals(-1, truncated.appendedFrom(), "dropping messages is not an append");
        assertEquals(expected(shorter), Json.parseObject(SessionJson.fileText(truncated)));
        assertEquals(
                -1, SessionJson.written(first, null).appendedFrom(), "without a previous write, nothing to append to");
    }

    @Test
    void anAppendedRecordRebuildsTheSessionFromItsPreviousWrite() {
        Session first = session(conversation());
        SessionJson.Written base = SessionJson.written(first, null);
        Session renamed = first.withName("renamed").append(List.of(Message.user("more")), new Usage(5, 6, 0, 0));
        SessionJson.Written next = SessionJson.written(renamed, base);
        String appended = SessionJson.appendText(next, next.appendedFrom());
        assertEquals(1, Json.parseObject(appended).getJsonArray("messages").size(), "only the new message is recorded");

        var rebuilt = new SessionJson.Rebuilt(SessionJson.fileText(base));
        assertTrue(rebuilt.append(appended));
        assertEquals(expected(renamed), Json.parseObject(rebuilt.fileText()), "messages and every other field");
        assertEquals(renamed, SessionJson.fromFile(Json.parseObject(rebuilt.fileText())));

        assertFalse(rebuilt.append(appended), "a record that does not start where the session ends is refused");
        assertFalse(rebuilt.append("{not json"));
        assertEquals(expected(renamed), Json.parseObject(rebuilt.fileText()), "and changes nothing");
    }

    @Test
    void theSessionsAgentAndWhoWroteEachMessageAreKeptThroughFilesAndJournalRecords() {
        List<Message> conversation = List.of(
                Message.user("Write a poem"),
                Message.assistant("Roses are red").withAgent("writer"),
                Message.assistant("Anything else?"));
        Session s = new Session(
                SessionIds.newId(), "routed", null, null, CREATED, CREATED, conversation, Usage.ZERO, "helpdesk");
        SessionJson.Written base = SessionJson.written(s, null);
        JsonObject file = Json.parseObject(SessionJson.fileText(base));
        assertEquals("helpdesk", file.getString("agent"));
        assertEquals("writer", file.getJsonArray("messages").getJsonObject(1).getString("agent"));
        assertFalse(file.getJsonArray("messages").getJsonObject(2).containsKey("agent"));
        assertEquals(s, SessionJson.fromFile(file));
        assertEquals("helpdesk", SessionJson.toJson(s.summary()).getString("agent"));

        Session more = s.append(
                List.of(Message.user("Another"), Message.assistant("Violets").withAgent("writer")));
        SessionJson.Written next = SessionJson.written(more, base);
        var rebuilt = new SessionJson.Rebuilt(SessionJson.fileText(base));
        assertTrue(rebuilt.append(SessionJson.appendText(next, next.appendedFrom())));
        assertEquals(more, SessionJson.fromFile(Json.parseObject(rebuilt.fileText())));
    }

    @Test
    void aFileWrittenBeforeAgentsReadsWithoutOne() {
        Session s = session(conversation());
        var withoutAgent =
                Json.PROVIDER.createObjectBuilder(Json.parseObject(SessionJson.fileText(SessionJson.written(s, null))));
        withoutAgent.remove("agent");
        Session read = SessionJson.fromFile(withoutAgent.build());
        assertNull(read.agent(), "the studio runs and shows it as its default agent");
        assertEquals("assistant", read.orAgent("assistant").agent());
        assertEquals(s.updatedAt(), read.orAgent("assistant").updatedAt(), "reading it is not a change");
    }

    @Test
    void aDecisionStoredBeforeWhoDecidedWasKeptReadsAsNotKnown() {
        String item = "{\"approval_id\":\"a1\",\"tool_call_id\":\"c1\",\"agent\":null,\"name\":\"Write\","
                + "\"input\":{},\"created_at\":\"2026-11-24T10:15:30Z\",\"decision\":{\"decision\":\"deny\","
                + "\"reason\":\"no\",\"decided_at\":\"2026-11-24T10:16:00Z\"%s}}";
        SessionApprovals before =
                SessionApprovals.fromJson(Json.parseObject("{\"items\":[],\"audit\":[" + item.formatted("") + "]}"));
        SessionApprovals.Decision old = before.audit().getFirst().decision();
        assertEquals("no", old.reason());
        assertNull(old.decidedBy());
        assertFalse(
                before.auditJson().getJsonObject(0).getJsonObject("decision").containsKey("decided_by"));

        // a way of deciding this miu does not know (a newer one wrote it): not known either, not a failure
        SessionApprovals newer = SessionApprovals.fromJson(Json.parseObject("{\"items\":[],\"audit\":["
                + item.formatted(",\"decided_by\":{\"via\":\"carrier-pigeon\",\"user\":\"x\"}") + "]}"));
        assertNull(newer.audit().getFirst().decision().decidedBy());

        SessionApprovals.Decider known =
                new SessionApprovals.Decider(SessionApprovals.Decider.Via.WEBSOCKET, "127.0.0.1", null);
        assertEquals(Json.parseObject("{\"via\":\"websocket\",\"client\":\"127.0.0.1\"}"), known.toJson());
        assertEquals(known, SessionApprovals.Decider.fromJson(known.toJson()));
    }
}
