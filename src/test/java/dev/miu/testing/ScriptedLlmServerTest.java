package dev.miu.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scripted server as a JUnit extension: a test that leaves replies unused or makes a call nobody scripted fails,
 * a per-test server is closed after its test, a class-wide one starts every test empty and closes after the class.
 * The callbacks ignore their context, so the test calls them as JUnit would.
 */
class ScriptedLlmServerTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aTestThatLeavesRepliesUnusedFailsAndItsServerCloses() {
        var llm = ScriptedLlmServer.start();
        llm.enqueue(Reply.text("never asked for"));
        var failure = assertThrows(AssertionError.class, () -> llm.afterEach(null));
        assertTrue(failure.getMessage().contains("1 scripted replies were never requested"), failure.getMessage());
        assertThrows(IOException.class, () -> post(llm), "a per-test server is closed after its test, failed or not");
    }

    @Test
    void aCallNobodyScriptedFailsTheTest() throws Exception {
        var llm = ScriptedLlmServer.start();
        assertEquals(400, post(llm));
        var failure = assertThrows(AssertionError.class, () -> llm.afterEach(null));
        assertTrue(failure.getMessage().contains("Unexpected model calls: [POST /v1/messages]"), failure.getMessage());
    }

    @Test
    void aClassWideServerStartsEachTestEmptyAndClosesAfterTheClass() throws Exception {
        var llm = ScriptedLlmServer.start();
        llm.beforeAll(null);
        llm.enqueue(Reply.text("used"));
        assertEquals(200, post(llm));
        assertDoesNotThrow(() -> llm.afterEach(null));
        assertEquals(0, llm.requestCount(), "the next test starts with an empty log");

        llm.enqueue(Reply.text("left over"));
        assertThrows(AssertionError.class, () -> llm.afterEach(null));
        assertDoesNotThrow(() -> llm.afterEach(null), "a failed test's leftovers do not fail the next one");
        assertEquals(400, post(llm), "still serving between tests, and strict again");
        assertThrows(AssertionError.class, () -> llm.afterEach(null));

        llm.afterAll(null);
        assertThrows(IOException.class, () -> post(llm));
        assertDoesNotThrow(llm::close, "closing twice is harmless");
    }

    private static int post(ScriptedLlmServer llm) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(llm.baseUrl() + "/v1/messages"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"max_tokens\":8,\"messages\":[]}"))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
