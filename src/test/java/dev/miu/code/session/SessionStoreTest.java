package dev.miu.code.session;

import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import dev.miu.core.message.Message;
import dev.miu.core.message.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions as JSON lines: appended, listed per workspace, and read back even after a crash. */
class SessionStoreTest {

    @TempDir
    Path data;

    @Test
    void appendsListsAndSurvivesADamagedLine() throws Exception {
        var store = new SessionStore(data);
        String a = SessionStore.newId();
        store.create(a, "/ws/one", "anthropic:m");
        store.append(a, List.of(Message.user("first"), Message.assistant("answer")));
        store.append(
                a,
                List.of(
                        Message.user("second"),
                        new Message(
                                Role.ASSISTANT, List.of(new ContentBlock.ToolUse("t1", "Read", Json.EMPTY_OBJECT)))));
        Files.writeString(
                store.dir().resolve(a + ".jsonl"),
                "{\"type\":\"message\",\"message\":{\"role\":\"us",
                StandardOpenOption.APPEND);

        StoredSession s = store.load(a);
        assertEquals(
                List.of(Message.user("first"), Message.assistant("answer")),
                s.messages(),
                "the cut line is skipped and the unanswered turn at the end is dropped, so the history is valid");
        assertEquals("first", s.info().title());
        assertEquals("/ws/one", s.info().workspace());

        String b = SessionStore.newId();
        store.create(b, "/ws/two", "openai:m");
        assertEquals(
                List.of(a), store.list("/ws/one").stream().map(SessionInfo::id).toList());
        assertEquals(2, store.list(null).size());
        assertEquals(b, store.latest("/ws/two").orElseThrow().id());
        assertTrue(store.latest("/ws/none").isEmpty());
    }
}
