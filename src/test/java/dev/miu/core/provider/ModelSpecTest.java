package dev.miu.core.provider;

import dev.miu.core.ConfigurationException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSpecTest {

    @Test
    void parsesProviderAndModel() {
        assertEquals(new ModelSpec("anthropic", "claude-x"), ModelSpec.parse("anthropic:claude-x"));
        assertEquals(
                new ModelSpec("ollama", "qwen2.5:7b"),
                ModelSpec.parse("ollama:qwen2.5:7b"),
                "only the first colon splits");
        assertEquals(new ModelSpec("openai", null), ModelSpec.parse("OpenAI"));
    }

    @Test
    void bareProviderGetsItsDefaultModel() {
        var providers = new Providers(ProviderSettings.NONE, ProviderOptions.DEFAULT);
        assertEquals(
                "openai:gpt-4.1-mini",
                providers.withDefaultModel(ModelSpec.parse("openai")).toString());
    }

    @Test
    void unknownProviderListsTheKnownOnes() {
        var providers = new Providers(ProviderSettings.NONE, ProviderOptions.DEFAULT);
        var e = assertThrows(ConfigurationException.class, () -> providers.create(ModelSpec.parse("mistral:large")));
        assertTrue(e.getMessage().contains("mistral"));
        assertTrue(e.getMessage().contains("anthropic, openai, gemini, ollama"), e.getMessage());
    }

    @Test
    void missingKeyNamesTheVariableToSet() {
        var providers = new Providers(ProviderSettings.NONE, ProviderOptions.DEFAULT);
        var e = assertThrows(ConfigurationException.class, () -> providers.create(ModelSpec.parse("anthropic")));
        assertTrue(e.getMessage().contains("ANTHROPIC_API_KEY"));
        assertThrows(ConfigurationException.class, () -> ModelSpec.parse(" "));
    }

    @Test
    void settingsNeverPrintKeys() {
        var settings = ProviderSettings.fromEnvironment(
                java.util.Map.of("ANTHROPIC_API_KEY", "sk-ant-secret", "OPENAI_API_KEY", "sk-secret"));
        assertFalse(settings.toString().contains("secret"));
        assertEquals(
                "http://gpu-box:11434/v1",
                ProviderSettings.fromEnvironment(java.util.Map.of("OLLAMA_HOST", "gpu-box:11434"))
                        .ollamaBaseUrl());
    }
}
