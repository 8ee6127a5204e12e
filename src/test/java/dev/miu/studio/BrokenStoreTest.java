package dev.miu.studio;

import dev.miu.core.provider.ProviderSettings;
import dev.miu.studio.session.SessionIds;
import dev.miu.studio.tools.StudioTools;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A store that cannot be used makes the server not ready instead of not starting; a corrupt session is skipped. */
@Timeout(60)
class BrokenStoreTest {

    @TempDir
    Path dataDir;

    private WebServer start() {
        return StudioServer.start(
                StudioFixtures.studio(ProviderSettings.NONE, dataDir, StudioFixtures.server(), StudioTools.none()));
    }

    @Test
    void anUnwritableStoreIsNotReadyButTheServerRuns() throws IOException {
        Files.writeString(dataDir.resolve("sessions"), "a file where the directory should be");
        WebServer server = start();
        try {
            Api api = new Api(URI.create("http://127.0.0.1:" + server.port()));
            assertEquals(200, api.get("/api/v1/health").status());
            Api.Resp ready = api.get("/api/v1/ready");
            assertEquals(503, ready.status());
            assertEquals("not ready", ready.json().getString("status"));
            Api.Resp create = api.post("/api/v1/sessions", "{}");
            assertEquals(500, create.status());
            assertTrue(create.detail().startsWith("Storage error"), create.detail());
        } finally {
            server.stop();
        }
    }

    @Test
    void aCorruptSessionIsSkippedInListsAndReportedWhenRead() throws IOException {
        WebServer server = start();
        try {
            Api api = new Api(URI.create("http://127.0.0.1:" + server.port()));
            String good = api.newSession();
            String bad = SessionIds.newId();
            Files.writeString(dataDir.resolve("sessions").resolve(bad + ".json"), "{\"version\":1,\"id\":");
            Api.Resp list = api.get("/api/v1/sessions");
            assertEquals(200, list.status());
            assertEquals(1, list.array().size());
            assertEquals(good, list.array().getJsonObject(0).getString("id"));
            Api.Resp read = api.get("/api/v1/sessions/" + bad);
            assertEquals(500, read.status());
            assertTrue(read.detail().contains("corrupt"), read.detail());
            assertEquals(200, api.delete("/api/v1/sessions/" + bad).status());
        } finally {
            server.stop();
        }
    }
}
