package dev.miu.testing;

import java.util.Map;

/** The environment of a miu process a test or benchmark starts. */
public final class ChildEnvironment {

    private ChildEnvironment() {}

    /**
     * Removes what would point the child at a real provider or another miu set-up: {@code *_API_KEY},
     * {@code *_BASE_URL} and {@code MIU_*}. The caller then adds the scripted provider's settings.
     */
    public static void removeProviderAndMiuSettings(Map<String, String> environment) {
        environment.keySet().removeIf(k -> k.endsWith("_API_KEY") || k.endsWith("_BASE_URL") || k.startsWith("MIU_"));
    }
}
