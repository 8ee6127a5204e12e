package dev.miu.rag;

import dev.miu.core.ConfigurationException;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.ProviderSettings;

/** Makes an {@link Embedder} from a spec such as {@code local}, {@code openai:text-embedding-3-small} or {@code ollama:nomic-embed-text}. */
public final class Embedders {

    public static final String KNOWN = "local, openai:MODEL, ollama:MODEL, gemini:MODEL";

    private Embedders() {}

    /** The embedder calls go through the proxies of {@code providers} (from the environment). */
    public static Embedder create(String spec, ProviderSettings providers, ProviderOptions given) {
        ProviderOptions options = given.withProxy(providers.proxy());
        if (spec == null || spec.isBlank() || spec.equals("local") || spec.equals(MiniLmEmbedder.ID)) {
            return new MiniLmEmbedder();
        }
        int colon = spec.indexOf(':');
        String provider = colon < 0 ? spec : spec.substring(0, colon);
        String model = colon < 0 ? null : spec.substring(colon + 1).strip();
        return switch (provider) {
            case "openai" -> {
                if (providers.openaiApiKey() == null && providers.openaiBaseUrl() == null) {
                    throw new ConfigurationException("No API key for openai embeddings: set OPENAI_API_KEY"
                            + " (or OPENAI_BASE_URL for a compatible server), or use rag.embedder: local");
                }
                yield new OpenAiEmbedder(
                        "openai",
                        model,
                        providers.openaiApiKey(),
                        providers.openaiBaseUrl() != null ? providers.openaiBaseUrl() : "https://api.openai.com/v1",
                        options);
            }
            case "ollama" -> new OpenAiEmbedder("ollama", model, null, providers.ollamaBaseUrl(), options);
            case "gemini" -> new GeminiEmbedder(model, providers.geminiApiKey(), providers.geminiBaseUrl(), options);
            default -> throw new ConfigurationException("Unknown embedder '" + spec + "'; use one of: " + KNOWN);
        };
    }

    /** The knowledge base these settings describe: their embedder, the Lucene store under the data directory. */
    public static KnowledgeBase knowledgeBase(RagSettings settings, ProviderSettings providers) {
        Chunker chunker = new Chunker(settings.chunkSize(), settings.chunkOverlap());
        Embedder embedder = create(settings.embedder(), providers, ProviderOptions.DEFAULT);
        try {
            return new KnowledgeBase(embedder, new LuceneVectorStore(settings.storeDir()), chunker);
        } catch (RuntimeException e) {
            embedder.close();
            throw e;
        }
    }
}
