package dev.miu.studio.session;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Titles from a chat's first message: short, one line, cut at a word; a name the user gave is kept. */
class SessionTitleTest {

    @Test
    void aShortFirstLineIsTheTitle() {
        assertEquals("Weather in Lisbon?", SessionTitle.from("  Weather in Lisbon?  "));
        assertEquals("Fix this bug", SessionTitle.from("Fix this bug\n\n```java\nint x = 1 / 0;\n```"));
        assertEquals("tabs and spaces collapse", SessionTitle.from("tabs\tand   spaces\u00a0collapse"));
    }

    @Test
    void aLongLineIsCutAtAWordWithAnEllipsis() {
        String title = SessionTitle.from(
                "Please explain how the session journal keeps writes durable across crashes and power cuts");
        assertEquals("Please explain how the session journal keeps…", title);
        assertTrue(title.length() <= SessionTitle.MAX_LENGTH, title);
    }

    @Test
    void oneLongWordIsCutWhereverItMustBeWithoutSplittingACharacter() {
        String title = SessionTitle.from("x".repeat(30) + "😀".repeat(40));
        assertEquals(SessionTitle.MAX_LENGTH, title.codePointCount(0, title.length()));
        assertTrue(title.endsWith("😀…"), title);
    }

    @Test
    void nothingToTitleFromStaysUntitled() {
        assertEquals(SessionTitle.UNTITLED, SessionTitle.from("   \n  "));
        assertEquals(SessionTitle.UNTITLED, SessionTitle.from(null));
    }

    @Test
    void onlyTheFirstMessageOfAnUntitledSessionNamesIt() {
        Session untitled = session(SessionTitle.UNTITLED);
        Session first = SessionTitle.appendUserMessage(untitled, "What is miu?");
        assertEquals("What is miu?", first.name());
        assertEquals(1, first.messages().size());

        Session second = SessionTitle.appendUserMessage(first, "And how do I run it?");
        assertEquals("What is miu?", second.name());
        assertEquals(2, second.messages().size());

        Session named = SessionTitle.appendUserMessage(session("My plans"), "What is miu?");
        assertEquals("My plans", named.name(), "a name the user gave is kept");
    }

    private static Session session(String name) {
        Instant now = Instant.now();
        return new Session("00000000-0000-4000-8000-000000000001", name, null, null, now, now, List.of());
    }
}
