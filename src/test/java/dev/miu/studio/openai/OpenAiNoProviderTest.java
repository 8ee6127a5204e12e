package dev.miu.studio.openai;

import dev.miu.core.provider.ProviderSettings;
import dev.miu.studio.Api;
import dev.miu.studio.StudioFixtures;
import dev.miu.studio.TestCatalog;
import dev.miu.studio.tools.StudioTools;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With no provider configured the models are still listed, and a completion is a 503 naming what to set. */
@ServerTest
@Timeout(30)
class OpenAiNoProviderTest {

    private final Api api;

    OpenAiNoProviderTest(URI uri) {
        this.api = new Api(uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        var agents = new TestCatalog(
                ProviderSettings.NONE,
                "helper",
                StudioTools.none(),
                TestCatalog.model("helper", "Helps", "anthropic:claude-test", "You help."));
        StudioFixtures.mount(server, StudioFixtures.studio(ProviderSettings.NONE, StudioFixtures.tempDir(), agents));
    }

    @Test
    void aCompletionSays503BeforeAnyStreamOpens() {
        assertEquals(200, api.get("/v1/models").status());
        for (String stream : new String[] {"false", "true"}) {
            Api.Resp r = api.post(
                    "/v1/chat/completions",
                    "{\"model\":\"helper\",\"stream\":" + stream
                            + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
            assertEquals(503, r.status(), r.body());
            assertTrue(r.header("content-type").startsWith("application/json"), "a plain error, not a stream");
            JsonObject error = r.json().getJsonObject("error");
            assertEquals("server_error", error.getString("type"));
            assertTrue(error.getString("message").contains("ANTHROPIC_API_KEY"), error.toString());
        }
    }
}
