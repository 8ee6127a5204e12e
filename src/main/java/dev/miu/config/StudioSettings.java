package dev.miu.config;

import java.util.List;

/**
 * The {@code studio} section: what the studio's agents get besides the model.
 *
 * @param tools names of built-in tools every studio agent may call (none by default; the studio checks the names)
 */
public record StudioSettings(List<String> tools) {

    public static final StudioSettings DEFAULT = new StudioSettings(List.of());

    public StudioSettings {
        tools = List.copyOf(tools);
    }

    static StudioSettings from(ConfigTree studio) {
        return new StudioSettings(studio.get("tools").asStringList().orElse(List.of()));
    }
}
