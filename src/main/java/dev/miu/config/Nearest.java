package dev.miu.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** The known name a misspelt one was probably meant to be, for "did you mean" hints (config keys, agent names). */
public final class Nearest {

    private Nearest() {}

    /** The nearest of {@code known} to {@code name}, when it is a typo away (1 edit for short names, up to 3). */
    public static Optional<String> to(String name, Collection<String> known) {
        String lower = name.toLowerCase(Locale.ROOT);
        int allowed = allowed(lower);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known.stream().sorted().toList()) {
            int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (d <= allowed && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code unknown agent 'biling' (did you mean 'billing'? known: a, b)}: the hint in brackets. */
    public static String hint(String name, Collection<String> known, String knownLabel) {
        String mean = to(name, known).map(n -> "did you mean '" + n + "'? ").orElse("");
        return " (" + mean + (known.isEmpty() ? "there are none" : knownLabel + ": " + String.join(", ", known)) + ")";
    }

    /** How many edits still count as a typo: 1 for short names, up to 3 for long ones. */
    static int allowed(String name) {
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
