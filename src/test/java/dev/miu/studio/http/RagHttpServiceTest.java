package dev.miu.studio.http;

import dev.miu.core.json.Json;
import dev.miu.rag.Chunker;
import dev.miu.rag.KnowledgeBase;
import dev.miu.rag.LuceneVectorStore;
import dev.miu.rag.MiniLmEmbedder;
import dev.miu.rag.RagService;
import dev.miu.rag.SearchMode;
import dev.miu.testing.TempDirs;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The studio's RAG routes over real HTTP: add documents, search them, and the errors. */
@ServerTest
class RagHttpServiceTest {

    static KnowledgeBase knowledge;
    static Path storeDir;
    private final Http1Client client;

    RagHttpServiceTest(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) throws IOException {
        Path dir = TempDirs.create("miu-rag-http");
        storeDir = dir;
        knowledge = new KnowledgeBase(new MiniLmEmbedder(), new LuceneVectorStore(dir), new Chunker());
        routing.register(
                RagHttpService.PATH, new RagHttpService(new RagService(knowledge, 3, SearchMode.VECTOR), 4096));
    }

    @AfterAll
    static void close() {
        knowledge.close();
    }

    JsonObject post(String path, String body, Status expected) {
        try (HttpClientResponse res = client.post(path)
                .header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/json")
                .submit(body)) {
            String text = res.as(String.class);
            assertEquals(expected, res.status(), text);
            return Json.parseObject(text);
        }
    }

    /** GETs {@code path}; a query string in it is passed as query parameters (decoded). */
    JsonObject get(String path, Status expected) {
        int q = path.indexOf('?');
        var request = client.get(q < 0 ? path : path.substring(0, q));
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                request.queryParam(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        try (HttpClientResponse res = request.request()) {
            String text = res.as(String.class);
            assertEquals(expected, res.status(), text);
            assertTrue(res.headers().contentType().orElseThrow().text().startsWith("application/json"));
            return Json.parseObject(text);
        }
    }

    @Test
    void aStorageFailureIsA500WithoutTheServersPath() throws IOException {
        java.nio.file.Files.writeString(storeDir.resolve("blocked"), "a file where the collection's directory goes");
        JsonObject failed = post(
                "/api/v1/rag/blocked/documents",
                "{\"documents\": [{\"text\": \"Some text.\"}]}",
                Status.INTERNAL_SERVER_ERROR_500);
        String detail = failed.getString("detail");
        assertTrue(detail.startsWith("Storage error"), detail);
        assertTrue(!detail.contains(storeDir.toString()) && !detail.contains("/tmp"), detail);
    }

    @Test
    void addDocumentsThenSearchThem() {
        String body = """
                {"documents": [
                  {"id": "rome", "text": "Rome is the capital of Italy and home to the Colosseum.", "metadata": {"source": "atlas/italy.md", "year": 2024}},
                  {"id": "paris", "text": "Paris, on the Seine, is the capital city of France.", "metadata": {"source": "atlas/france.md"}},
                  {"text": "Bananas are rich in potassium."}
                ]}""";
        JsonObject added = post("/api/v1/rag/atlas/documents", body, Status.OK_200);
        assertEquals("atlas", added.getString("collection"));
        assertEquals(3, added.getInt("documents"));
        assertEquals(3, added.getInt("added"));
        assertEquals(3, added.getInt("total_chunks"));
        JsonObject again = post("/api/v1/rag/atlas/documents", body, Status.OK_200);
        assertEquals(3, again.getInt("unchanged"));
        assertEquals(0, again.getInt("chunks"));

        JsonObject found = get("/api/v1/rag/atlas/search?q=ancient%20amphitheatre%20city&k=2", Status.OK_200);
        assertEquals(2, found.getInt("k"));
        assertEquals("vector", found.getString("mode"));
        var hits = found.getJsonArray("hits");
        assertEquals(2, hits.size());
        JsonObject best = hits.getJsonObject(0);
        assertEquals("rome#0", best.getString("id"));
        assertEquals("rome", best.getString("document"));
        assertEquals("atlas/italy.md", best.getString("source"));
        assertEquals("2024", best.getJsonObject("metadata").getString("year"));
        assertTrue(best.getJsonNumber("score").doubleValue()
                > hits.getJsonObject(1).getJsonNumber("score").doubleValue());

        JsonObject filtered =
                get("/api/v1/rag/atlas/search?q=capital&mode=hybrid&filter.source=atlas/france.md", Status.OK_200);
        assertEquals(1, filtered.getJsonArray("hits").size());
        assertEquals("paris", filtered.getJsonArray("hits").getJsonObject(0).getString("document"));
        assertEquals(
                3,
                get("/api/v1/rag/atlas/search?q=fruit", Status.OK_200)
                        .getJsonArray("hits")
                        .size(),
                "default k");
    }

    @Test
    void badRequestsGetADetail() {
        assertTrue(post("/api/v1/rag/atlas/documents", "not json", Status.BAD_REQUEST_400)
                .getString("detail")
                .contains("JSON"));
        assertTrue(post("/api/v1/rag/atlas/documents", "{\"docs\": []}", Status.BAD_REQUEST_400)
                .getString("detail")
                .contains("documents"));
        assertTrue(post("/api/v1/rag/atlas/documents", "{\"documents\": [{\"text\": \"\"}]}", Status.BAD_REQUEST_400)
                .getString("detail")
                .contains("documents[0].text"));
        assertTrue(post(
                        "/api/v1/rag/atlas/documents",
                        "{\"documents\": [{\"text\": \"x\", \"metadata\": {\"chunk\": \"1\"}}]}",
                        Status.BAD_REQUEST_400)
                .getString("detail")
                .contains("reserved"));
        assertTrue(post("/api/v1/rag/.bad/documents", "{\"documents\": [{\"text\": \"x\"}]}", Status.BAD_REQUEST_400)
                .getString("detail")
                .contains("collection name"));
        post("/api/v1/rag/errors/documents", "{\"documents\": [{\"text\": \"something\"}]}", Status.OK_200);
        assertTrue(get("/api/v1/rag/errors/search", Status.BAD_REQUEST_400)
                .getString("detail")
                .contains("q="));
        assertTrue(get("/api/v1/rag/errors/search?q=x&k=many", Status.BAD_REQUEST_400)
                .getString("detail")
                .contains("k"));
        assertTrue(get("/api/v1/rag/errors/search?q=x&k=0", Status.BAD_REQUEST_400)
                .getString("detail")
                .contains("k"));
        assertTrue(get("/api/v1/rag/errors/search?q=x&mode=psychic", Status.BAD_REQUEST_400)
                .getString("detail")
                .contains("mode"));
        assertTrue(get("/api/v1/rag/nowhere/search?q=x", Status.NOT_FOUND_404)
                .getString("detail")
                .contains("nowhere"));
    }

    @Test
    void bodiesOverTheLimitAre413AndStoreNothing() {
        String big = "{\"documents\":[{\"id\":\"big\",\"text\":\"" + "x".repeat(5000) + "\"}]}";
        JsonObject error = post("/api/v1/rag/limits/documents", big, Status.REQUEST_ENTITY_TOO_LARGE_413);
        assertTrue(error.getString("detail").contains("4096"), error.toString());
        get("/api/v1/rag/limits/search?q=x", Status.NOT_FOUND_404);
    }
}
