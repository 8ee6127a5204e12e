package dev.miu.core.provider;

import dev.miu.core.http.ProxySettings;

import java.util.Map;

/**
 * Where each provider lives, how to authenticate and through which proxy, read from the environment variables users
 * know ({@code ANTHROPIC_API_KEY}, {@code OPENAI_BASE_URL}, {@code OLLAMA_HOST}, {@code HTTPS_PROXY}, ...).
 * {@link #toString()} hides keys and proxy passwords.
 */
public record ProviderSettings(
        String anthropicApiKey,
        String anthropicBaseUrl,
        String openaiApiKey,
        String openaiBaseUrl,
        String ollamaHost,
        String geminiApiKey,
        String geminiBaseUrl,
        ProxySettings proxy) {

    public static final ProviderSettings NONE = new ProviderSettings(null, null, null, null, null, null, null);

    /** Without proxies. */
    public ProviderSettings(
            String anthropicApiKey,
            String anthropicBaseUrl,
            String openaiApiKey,
            String openaiBaseUrl,
            String ollamaHost,
            String geminiApiKey,
            String geminiBaseUrl) {
        this(
                anthropicApiKey,
                anthropicBaseUrl,
                openaiApiKey,
                openaiBaseUrl,
                ollamaHost,
                geminiApiKey,
                geminiBaseUrl,
                ProxySettings.NONE);
    }

    public static ProviderSettings fromEnvironment(Map<String, String> env) {
        String gemini = blankToNull(env.get("GEMINI_API_KEY"));
        if (gemini == null) {
            gemini = blankToNull(env.get("GOOGLE_API_KEY"));
        }
        return new ProviderSettings(
                blankToNull(env.get("ANTHROPIC_API_KEY")),
                blankToNull(env.get("ANTHROPIC_BASE_URL")),
                blankToNull(env.get("OPENAI_API_KEY")),
                blankToNull(env.get("OPENAI_BASE_URL")),
                blankToNull(env.get("OLLAMA_HOST")),
                gemini,
                blankToNull(env.get("GEMINI_BASE_URL")),
                ProxySettings.fromEnvironment(env));
    }

    /** The OpenAI-compatible base URL for Ollama: {@code OLLAMA_HOST} (with or without scheme) plus {@code /v1}. */
    public String ollamaBaseUrl() {
        if (ollamaHost == null) {
            return "http://localhost:11434/v1";
        }
        String host = ollamaHost.contains("://") ? ollamaHost : "http://" + ollamaHost;
        if (host.endsWith("/")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.endsWith("/v1") ? host : host + "/v1";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    @Override
    public String toString() {
        return "ProviderSettings[anthropic=" + (anthropicApiKey != null ? "key set" : "no key")
                + ", openai=" + (openaiApiKey != null ? "key set" : "no key")
                + (openaiBaseUrl != null ? " at " + openaiBaseUrl : "")
                + ", gemini=" + (geminiApiKey != null ? "key set" : "no key") + ", " + proxy + "]";
    }
}
