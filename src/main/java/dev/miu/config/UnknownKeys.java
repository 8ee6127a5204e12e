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
            int distance = distance(name, candidateName.toLowerCase(Locale.ROOT));
            if (distance > allowed(name)) {
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

    /** How many edits still count as a typo: 1 for short names, up to 3 for long ones. */
    private static int allowed(String name) {
        return name.length() <= 4 ? 1 : name.length() <= 10 ? 2 : 3;
    }

    /**
     * The fewest single-character insertions, deletions, substitutions and swaps of neighbours from a to b
     * (Damerau-Levenshtein, optimal string alignment): {@code prot} is one edit from {@code port}.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
