package dev.miu.studio;

import dev.miu.config.MiuConfig;
import dev.miu.core.provider.ProviderSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the studio says about its default model: configured, or exactly what to set. */
class ModelStatusTest {

    @Test
    void aDetectedProviderIsConfiguredAndNeedsNothing() {
        var status = ModelStatus.of(config(null, Map.of("ANTHROPIC_API_KEY", "sk-ant-test")));
        assertEquals("anthropic:claude-sonnet-4-5", status.model());
        assertTrue(status.configured());
        assertNull(status.problem());
        assertEquals(List.of(), status.settings());
        assertEquals("anthropic:claude-sonnet-4-5 (provider configured)", status.describe());
    }

    @Test
    void noProviderListsEveryWayToConfigureOne() {
        var status = ModelStatus.of(config(null, Map.of()));
        assertNull(status.model());
        assertFalse(status.configured());
        assertTrue(status.problem().startsWith("No model provider configured"), status.problem());
        assertEquals(
                List.of("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "GEMINI_API_KEY", "MIU_MODEL"),
                names(status));
        assertEquals(
                "export ANTHROPIC_API_KEY=sk-ant-...",
                status.settings().getFirst().example());
        assertTrue(status.describe().startsWith("none: No model provider configured"), status.describe());
    }

    @Test
    void aChosenModelWithoutItsKeyAsksForThatKeyOnly() {
        var status = ModelStatus.of(config("gemini:gemini-2.5-pro", Map.of("ANTHROPIC_API_KEY", "sk-ant-test")));
        assertEquals("gemini:gemini-2.5-pro", status.model());
        assertFalse(status.configured());
        assertTrue(status.problem().contains("GEMINI_API_KEY"), status.problem());
        assertEquals(List.of("GEMINI_API_KEY"), names(status));
    }

    @Test
    void aLocalOllamaModelNeedsNoKey() {
        var status = ModelStatus.of(config("ollama:llama3.2", Map.of()));
        assertTrue(status.configured());
        assertEquals("ollama:llama3.2", status.model());
    }

    @Test
    void anUnknownProviderIsReportedNotThrown() {
        var status = ModelStatus.of(config("nosuch:model", Map.of()));
        assertFalse(status.configured());
        assertTrue(status.problem().contains("Unknown provider 'nosuch'"), status.problem());
        assertEquals(5, status.settings().size());
    }

    private static List<String> names(ModelStatus status) {
        return status.settings().stream().map(ModelStatus.Setting::name).toList();
    }

    private static MiuConfig config(String model, Map<String, String> env) {
        MiuConfig base = StudioFixtures.config(
                ProviderSettings.fromEnvironment(env), StudioFixtures.tempDir(), StudioFixtures.server());
        return base.withAgent(base.agent().withModel(model));
    }
}
