package dev.miu.config;

import dev.miu.core.ConfigurationException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses a configuration file with keys no section reads, naming the nearest known key:
 * {@code unknown key 'sesions' in app.yaml at line 40 (did you mean 'sessions'?)}.
 * <p>
 * An error, not a warning: a misspelt key is silently replaced by its default, and for some keys the default is the
 * unsafe side ({@code server.api-key} unset lets anyone in, {@code sessions.sync} falls back to interval). A file
 * written for a newer miu is refused too, which is the honest answer: this version would ignore those settings.
 */
final class UnknownKeys {

    private UnknownKeys() {}

    /** Throws a {@link ConfigurationException} listing every key of {@code root} that no reader asked for. */
    static void check(ConfigTree root) {
        List<ConfigTree.Unknown> unknown = root.unknownKeys();
        if (unknown.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        for (ConfigTree.Unknown key : unknown) {
            lines.add("unknown key '" + key.path() + "' in " + root.source()
                    + root.line(key.path()).map(n -> " at line " + n).orElse("")
                    + suggestion(key, root.askedKeys()).map(s -> " (" + s + ")").orElse(""));
        }
        throw new ConfigurationException(String.join("\n", lines));
    }

    /**
     * What the user probably meant: the known key in the same section whose name is nearest, else the nearest
     * anywhere ({@code port} at the top is {@code server.port}); nothing when none is near.
     */
    static Optional<String> suggestion(ConfigTree.Unknown key, Collection<String> known) {
        if (key.name().contains(".") && known.contains(key.path())) {
            String[] parts = key.name().split("\\.");
            return Optional.of("write it nested: '" + parts[0] + ":' and under it '" + parts[1] + ":'"
                    + (parts.length > 2 ? " and so on" : ""));
        }
        String section = key.section().isEmpty() ? "" : key.section() + ".";
        String name = key.name().toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        boolean bestInSection = false;
        for (String candidate : known.stream().sorted().toList()) {
            String candidateName = candidate.substring(candidate.lastIndexOf('.') + 1);
            if (candidateName.isEmpty() || Character.isDigit(candidateName.charAt(0))) {
                continue; // a list index
            }
            boolean inSection = candidate.startsWith(section) && candidate.indexOf('.', section.length()) < 0;
            int distance = Nearest.distance(name, candidateName.toLowerCase(Locale.ROOT));
            if (distance > Nearest.allowed(name)) {
                continue;
            }
            if (best == null || (inSection != bestInSection ? inSection : distance < bestDistance)) {
                best = candidate;
                bestDistance = distance;
                bestInSection = inSection;
            }
        }
        return Optional.ofNullable(best).map(b -> "did you mean '" + b + "'?");
    }
}
