package dev.miu.core.pattern;

/** The result of a {@link Router} run: the decision and what the chosen route's agent made of the query. */
public record RouterResult(String name, RouteDecision decision, Outcome outcome) {

    public boolean succeeded() {
        return outcome.succeeded();
    }

    public String text() {
        return outcome.text();
    }
}
