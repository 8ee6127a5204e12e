package dev.miu.core.pattern;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** When a {@link Route} applies to a query: a Java predicate, a regular expression, or any of some keywords. */
public sealed interface RouteRule {

    boolean matches(String query);

    /** Short text for dry runs and errors. */
    String describe();

    /** Any test on the query; {@code description} says what it checks. */
    record Matches(Predicate<String> predicate, String description) implements RouteRule {
        public Matches {
            Objects.requireNonNull(predicate, "predicate");
            description = description == null ? "predicate" : description;
        }

        @Override
        public boolean matches(String query) {
            return predicate.test(query);
        }

        @Override
        public String describe() {
            return description;
        }
    }

    /** The regular expression is found somewhere in the query ({@link java.util.regex.Matcher#find()}). */
    record Regex(Pattern pattern) implements RouteRule {
        public Regex {
            Objects.requireNonNull(pattern, "pattern");
        }

        @Override
        public boolean matches(String query) {
            return pattern.matcher(query).find();
        }

        @Override
        public String describe() {
            return "regex /" + pattern.pattern() + "/";
        }
    }

    /** Any keyword occurs in the query as a whole word (or phrase), ignoring case. */
    record Keywords(List<String> keywords) implements RouteRule {
        public Keywords {
            keywords = List.copyOf(keywords);
            if (keywords.isEmpty() || keywords.stream().anyMatch(k -> k == null || k.isBlank())) {
                throw new PatternException("Keyword rules need at least one non-blank keyword");
            }
        }

        @Override
        public boolean matches(String query) {
            String lower = query.toLowerCase(Locale.ROOT);
            for (String keyword : keywords) {
                var word = Pattern.compile("(?<![\\p{L}\\p{N}])"
                        + Pattern.quote(keyword.strip().toLowerCase(Locale.ROOT)) + "(?![\\p{L}\\p{N}])");
                if (word.matcher(lower).find()) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String describe() {
            return "keywords " + keywords;
        }
    }

    static RouteRule predicate(String description, Predicate<String> predicate) {
        return new Matches(predicate, description);
    }

    static RouteRule regex(String regex) {
        try {
            return new Regex(Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new PatternException("Invalid route regex '" + regex + "': " + e.getDescription());
        }
    }

    static RouteRule keywords(String... keywords) {
        return new Keywords(List.of(keywords));
    }

    /** Any of {@code rules} matches: a route declared with both keywords and a regex. */
    static RouteRule anyOf(List<RouteRule> rules) {
        List<RouteRule> all = List.copyOf(rules);
        if (all.isEmpty()) {
            throw new PatternException("anyOf needs at least one rule");
        }
        if (all.size() == 1) {
            return all.getFirst();
        }
        return new Matches(
                query -> all.stream().anyMatch(r -> r.matches(query)),
                String.join(" or ", all.stream().map(RouteRule::describe).toList()));
    }
}
