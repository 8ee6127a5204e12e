package dev.miu.core.pattern;

/**
 * Which route a {@link Router} chose for a query, and why.
 *
 * @param reason how it was chosen, e.g. {@code keywords [refund] (priority 10)}, {@code classifier answered 'billing'},
 *               {@code no rule matched: default route}
 */
public record RouteDecision(String route, Method method, String reason) {

    /** How the route was chosen. */
    public enum Method {
        RULE,
        CLASSIFIER,
        DEFAULT
    }
}
