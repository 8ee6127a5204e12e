package dev.miu.studio;

import dev.miu.config.DatabaseSettings;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.studio.session.postgres.PostgresSessionRepository;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.PostgresCluster;
import dev.miu.testing.PostgresServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL going away under a running studio: {@code /ready} and the session and chat routes answer 503 with a
 * detail (never 500), and once the database is back the same studio serves again, without a restart.
 */
@ServerTest
@Timeout(180)
class DatabaseOutageTest {

    private static final ProviderSettings PROVIDERS =
            new ProviderSettings(null, null, "sk-unused", "http://127.0.0.1:9/v1", null, null, null);

    /** A cluster of its own: stopping the one the other test classes share would fail them. */
    private static PostgresCluster cluster;

    private final Api api;

    DatabaseOutageTest(URI uri) {
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        cluster = PostgresServer.newCluster();
        var sessions = PostgresSessionRepository.open(new DatabaseSettings(
                cluster.url(cluster.createDatabase()), PostgresServer.USER, null, 4, Duration.ofSeconds(1)));
        var dir = StudioFixtures.tempDir();
        StudioFixtures.mount(
                server,
                new Studio(
                        StudioFixtures.config(PROVIDERS, dir, StudioFixtures.server()),
                        sessions,
                        StudioTools.none(),
                        StudioFixtures.FAST_RETRIES));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    void anOutageIs503WithADetailAndTheStudioRecoversWithoutARestart() {
        String id = api.newSession();
        assertEquals(200, api.get("/api/v1/ready").status());

        cluster.stopServer();
        Api.Resp ready = api.get("/api/v1/ready");
        assertEquals(503, ready.status(), ready.body());
        Api.Resp read = api.get("/api/v1/sessions/" + id);
        assertEquals(503, read.status(), read.body());
        assertTrue(read.detail().contains("session database cannot be reached"), read.body());
        assertEquals(503, api.get("/api/v1/sessions").status());
        assertEquals(503, api.post("/api/v1/sessions", "").status());
        Api.Resp chat = api.post("/api/v1/chat/invoke", "{\"session_id\":\"" + id + "\",\"message\":\"hi\"}");
        assertEquals(503, chat.status(), chat.body());
        assertTrue(chat.detail().contains("try again"), chat.body());

        cluster.startServer();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> api.get("/api/v1/ready").status() == 200);
        assertEquals(200, api.get("/api/v1/sessions/" + id).status(), "the same session, the same studio");
        assertEquals(201, api.post("/api/v1/sessions", "").status());
    }
}
