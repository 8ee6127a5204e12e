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
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The session file text: the session's JSON plus a version, built incrementally from the last write's messages. */
class SessionJsonTest {

    private static final Instant CREATED = Instant.parse("2026-11-24T10:15:30.123456Z");

    private static Session session(List<Message> messages) {
        return new Session(SessionIds.newId(), "quotes \" and \\ and ünïcödé ✓", null, "line\nbreak", CREATED,
                CREATED.plusSeconds(5), messages, new Usage(10, 20, 3, 4));
    }

    private static List<Message> conversation() {
        return List.of(
                Message.user("What is 2 + 3?"),
                new Message(Role.ASSISTANT, List.of(new ContentBlock.Text("Let me add."),
                        new ContentBlock.ToolUse("call_1", "add", Json.parseObject("{\"a\":2,\"b\":[3,{\"c\":null}]}")))),
                Message.toolResults(List.of(new ContentBlock.ToolResult("call_1", "5 </script> \u0001", true))),
                Message.assistant("It is 5"));
    }

    /** What the file must hold: the API's session JSON plus the file version. */
    private static JsonObject expected(Session s) {
        return Json.PROVIDER.createObjectBuilder(SessionJson.toJson(s)).add("version", SessionJson.FILE_VERSION).build();
    }

    @Test
    void theFileTextIsTheSessionJsonPlusItsVersionAndReadsBackExactly() {
        Session s = session(conversation());
        String text = SessionJson.toFileText(s, null).text();
        assertEquals(expected(s), Json.parseObject(text));
        assertEquals(s, SessionJson.fromFile(Json.parseObject(text)));

        Session empty = session(List.of());
        assertEquals(expected(empty), Json.parseObject(SessionJson.toFileText(empty, null).text()));
    }

    @Test
    void aLaterWriteReusesTheJsonOfTheMessagesItSharesAndSerializesOnlyTheRest() {
        Session first = session(conversation());
        SessionJson.FileText before = SessionJson.toFileText(first, null);
        Session next = first.append(List.of(Message.user("And 4 + 4?"), Message.assistant("8")), new Usage(1, 1, 0, 0));

        SessionJson.FileText after = SessionJson.toFileText(next, before);
        assertEquals(expected(next), Json.parseObject(after.text()));
        for (int i = 0; i < first.messages().size(); i++) {
            assertSame(before.messageJson().get(i), after.messageJson().get(i), "message " + i + " reused");
        }
        assertEquals(next, SessionJson.fromFile(Json.parseObject(after.text())));
    }

    @Test
    void messagesThatAreNotTheSameInstancesAreSerializedAgain() {
        Session first = session(conversation());
        SessionJson.FileText before = SessionJson.toFileText(first, null);
        List<Message> changed = new ArrayList<>(first.messages());
        changed.set(1, Message.assistant("edited"));
        Session edited = new Session(first.id(), first.name(), first.model(), first.systemPrompt(), first.createdAt(),
                first.updatedAt(), changed, first.usage());

        SessionJson.FileText after = SessionJson.toFileText(edited, before);
        assertEquals(expected(edited), Json.parseObject(after.text()));
        assertSame(before.messageJson().get(0), after.messageJson().get(0));
        assertNotSame(before.messageJson().get(2), after.messageJson().get(2), "after a change, nothing later is reused");
        Session shorter = new Session(first.id(), first.name(), first.model(), first.systemPrompt(), first.createdAt(),
                first.updatedAt(), first.messages().subList(0, 2), first.usage());
        assertEquals(expected(shorter), Json.parseObject(SessionJson.toFileText(shorter, before).text()));
    }
}
