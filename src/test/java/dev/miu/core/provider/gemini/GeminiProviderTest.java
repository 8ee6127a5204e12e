package dev.miu.core.provider.gemini;

import dev.miu.core.ConfigurationException;
import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.agent.Response;
import dev.miu.core.message.Message;
import dev.miu.core.message.StopReason;
import dev.miu.core.message.Usage;
import dev.miu.core.provider.ModelRequest;
import dev.miu.core.provider.ModelResponse;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.provider.ProviderException;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.core.provider.Providers;
import dev.miu.core.provider.RetryPolicy;
import dev.miu.core.provider.StreamEvent;
import dev.miu.core.tool.ToolRegistry;
import dev.miu.core.tool.Tools;
import dev.miu.testing.RecordedRequest;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class GeminiProviderTest {

    @RegisterExtension
    final ScriptedLlmServer server = ScriptedLlmServer.start();

    private final GeminiProvider gemini = new GeminiProvider(
            ScriptedLlmServer.API_KEY, server.baseUrl(), ProviderOptions.DEFAULT.withRetry(RetryPolicy.NONE));

    record CityQuery(String city) {}

    private static ModelRequest ask(String text) {
        return new ModelRequest("gemini-2.5-flash", "Be brief.", List.of(Message.user(text)), List.of(), 256, 0.2);
    }

    @Test
    void plainCallSendsGeminiShapeAndReadsTextAndUsage() {
        server.enqueue(Reply.text("Paris.").withUsage(11, 3));

        ModelResponse response = gemini.complete(ask("Capital of France?"));

        assertEquals("Paris.", response.text());
        assertEquals(StopReason.END_TURN, response.stopReason());
        assertEquals(new Usage(11, 3), response.usage());
        RecordedRequest request = server.lastRequest();
        assertEquals("/v1beta/models/gemini-2.5-flash:generateContent", request.path());
        assertEquals(ScriptedLlmServer.API_KEY, request.header("x-goog-api-key"));
        JsonObject body = request.json();
        assertEquals("user", body.getJsonArray("contents").getJsonObject(0).getString("role"));
        assertEquals(
                "Capital of France?",
                body.getJsonArray("contents")
                        .getJsonObject(0)
                        .getJsonArray("parts")
                        .getJsonObject(0)
                        .getString("text"));
        assertEquals(
                "Be brief.",
                body.getJsonObject("systemInstruction")
                        .getJsonArray("parts")
                        .getJsonObject(0)
                        .getString("text"));
        assertEquals(256, body.getJsonObject("generationConfig").getInt("maxOutputTokens"));
        assertFalse(body.containsKey("tools"));
        server.assertAllConsumed();
    }

    @Test
    void streamDeliversSeveralDeltasAndTheLastFramesUsage() {
        server.enqueue(Reply.text("Virtual threads are cheap threads.").withUsage(20, 7));
        List<String> deltas = new ArrayList<>();

        ModelResponse response = gemini.stream(ask("Explain"), e -> {
            if (e instanceof StreamEvent.TextDelta d) {
                deltas.add(d.text());
            }
        });

        assertTrue(deltas.size() > 2, "several deltas: " + deltas);
        assertEquals("Virtual threads are cheap threads.", String.join("", deltas));
        assertEquals("Virtual threads are cheap threads.", response.text());
        assertEquals(new Usage(20, 7), response.usage());
        assertEquals(
                "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
                server.lastRequest().path());
        server.assertAllConsumed();
    }

    @Test
    void functionCallRoundTripMapsResultsBackByName() {
        server.enqueue(
                Reply.turn(
                        new Reply.ToolCall("ignored", "get_weather", "{\"city\":\"Lisbon\"}"),
                        new Reply.ToolCall("ignored2", "get_weather", "{\"city\":\"Oslo\"}")),
                Reply.text("Lisbon is sunny, Oslo is sunny."));
        var weather =
                Tools.fromRecord("get_weather", "Weather for a city", CityQuery.class, q -> "Sunny in " + q.city());
        var agent =
                new ReActAgent(AgentConfig.of("weather", "gemini:gemini-2.5-flash"), gemini, ToolRegistry.of(weather));

        Response response = agent.stream("Weather in Lisbon and Oslo?", e -> {});

        assertEquals("Lisbon is sunny, Oslo is sunny.", response.text());
        assertEquals(2, response.iterations());
        var uses = response.messages().getFirst().toolUses();
        assertEquals(2, uses.size());
        assertTrue(!uses.get(0).id().equals(uses.get(1).id()), "each call gets its own id");
        assertEquals("Lisbon", uses.get(0).input().getString("city"));

        JsonObject first = server.requests().get(0).json();
        JsonObject declaration = first.getJsonArray("tools")
                .getJsonObject(0)
                .getJsonArray("functionDeclarations")
                .getJsonObject(0);
        assertEquals("get_weather", declaration.getString("name"));
        assertEquals("object", declaration.getJsonObject("parametersJsonSchema").getString("type"));

        var contents = server.requests().get(1).json().getJsonArray("contents");
        assertEquals(3, contents.size());
        var modelTurn = contents.getJsonObject(1);
        assertEquals("model", modelTurn.getString("role"));
        JsonObject call = modelTurn.getJsonArray("parts").getJsonObject(0).getJsonObject("functionCall");
        assertEquals("get_weather", call.getString("name"));
        assertFalse(call.containsKey("id"), "ids miu made up are not sent to Gemini");
        String signature = java.util.Base64.getEncoder()
                .encodeToString("sig:get_weather".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(
                signature,
                modelTurn.getJsonArray("parts").getJsonObject(0).getString("thoughtSignature"),
                "the call's thought signature goes back with it");
        assertFalse(modelTurn.getJsonArray("parts").getJsonObject(1).containsKey("thoughtSignature"));
        var results = contents.getJsonObject(2);
        assertEquals("user", results.getString("role"));
        JsonObject fr = results.getJsonArray("parts").getJsonObject(1).getJsonObject("functionResponse");
        assertEquals("get_weather", fr.getString("name"));
        assertEquals("Sunny in Oslo", fr.getJsonObject("response").getString("output"));
        server.assertAllConsumed();
    }

    @Test
    void aGemini3HistoryWithoutSignaturesGetsTheDocumentedStandIn() {
        var history = List.of(
                Message.user("Weather?"),
                new Message(
                        dev.miu.core.message.Role.ASSISTANT,
                        List.of(new dev.miu.core.message.ContentBlock.ToolUse(
                                "toolu_from_claude",
                                "get_weather",
                                jakarta.json.Json.createObjectBuilder()
                                        .add("city", "Oslo")
                                        .build()))),
                Message.toolResults(
                        List.of(new dev.miu.core.message.ContentBlock.ToolResult("toolu_from_claude", "Snow", false))));

        JsonObject gemini3 =
                gemini.requestBody(new ModelRequest("gemini-3-pro-preview", null, history, List.of(), 100, null));
        JsonObject gemini25 =
                gemini.requestBody(new ModelRequest("gemini-2.5-flash", null, history, List.of(), 100, null));

        JsonObject part3 = gemini3.getJsonArray("contents")
                .getJsonObject(1)
                .getJsonArray("parts")
                .getJsonObject(0);
        assertEquals(GeminiProvider.SKIP_SIGNATURE, part3.getString("thoughtSignature"));
        assertEquals("toolu_from_claude", part3.getJsonObject("functionCall").getString("id"), "real ids are kept");
        JsonObject part25 = gemini25.getJsonArray("contents")
                .getJsonObject(1)
                .getJsonArray("parts")
                .getJsonObject(0);
        assertFalse(part25.containsKey("thoughtSignature"));
        JsonObject response = gemini25.getJsonArray("contents")
                .getJsonObject(2)
                .getJsonArray("parts")
                .getJsonObject(0)
                .getJsonObject("functionResponse");
        assertEquals("get_weather", response.getString("name"));
        assertEquals("Snow", response.getJsonObject("response").getString("output"));
    }

    @Test
    void aResultForNoKnownCallIsRefused() {
        var history = List.of(
                Message.user("hi"),
                Message.toolResults(List.of(new dev.miu.core.message.ContentBlock.ToolResult("nowhere", "x", false))));
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> gemini.requestBody(new ModelRequest("gemini-2.5-flash", null, history, List.of(), 100, null)));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    }

    @Test
    void httpErrorCarriesGeminisMessage() {
        server.enqueue(Reply.status(400, "API key not valid. Please pass a valid API key."));

        var e = assertThrows(ProviderException.class, () -> gemini.complete(ask("hi")));

        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("API key not valid"), e.getMessage());
        assertFalse(e.getMessage().contains(ScriptedLlmServer.API_KEY));
    }

    @Test
    void errorFrameInsideTheStreamFails() {
        server.enqueue(Reply.streamError("Partial", "INTERNAL", "backend overloaded"));

        var e = assertThrows(ProviderException.class, () -> gemini.stream(ask("hi"), ev -> {}));

        assertTrue(e.getMessage().contains("backend overloaded"), e.getMessage());
    }

    @Test
    void streamCutBeforeItsFinishReasonFails() {
        server.enqueue(new Reply.Truncated(List.of(new Reply.Text("half an"))));

        assertThrows(ProviderException.class, () -> gemini.stream(ask("hi"), ev -> {}));
    }

    @Test
    void invalidModelNameIsAConfigurationError() {
        var request = new ModelRequest("../etc?x", null, List.of(Message.user("hi")), List.of(), 10, null);
        assertThrows(ConfigurationException.class, () -> gemini.complete(request));
    }

    @Test
    void providersMakeGeminiFromItsKeyAndNameTheKeyWhenMissing() {
        var withKey =
                ProviderSettings.fromEnvironment(Map.of("GOOGLE_API_KEY", "k", "GEMINI_BASE_URL", server.baseUrl()));
        var providers = new Providers(withKey, ProviderOptions.DEFAULT);
        assertEquals("gemini", providers.detectProvider().orElseThrow());
        assertEquals("gemini", providers.create(ModelSpec.parse("gemini")).name());
        assertEquals(
                GeminiProvider.DEFAULT_MODEL,
                providers.withDefaultModel(ModelSpec.parse("gemini")).model());

        var none = new Providers(ProviderSettings.NONE, ProviderOptions.DEFAULT);
        var e = assertThrows(ConfigurationException.class, () -> none.create(ModelSpec.parse("gemini:gemini-2.5-pro")));
        assertTrue(e.getMessage().contains("GEMINI_API_KEY"), e.getMessage());
    }
}
