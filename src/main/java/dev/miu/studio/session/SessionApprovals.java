package dev.miu.studio.session;

import dev.miu.core.agent.PendingApprovals;
import dev.miu.core.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A session's approvals: the tool calls of its last turn that wait for a person ({@code items}, each decided or
 * not), the paused run's state to resume it with ({@code state}), and the tools approved for the rest of the session
 * ({@code remembered}), and the calls decided in earlier pauses ({@code audit}: who asked, what was decided, who
 * decided, when, why). Stored with the session, so a pause survives a closed tab and a restart.
 */
public record SessionApprovals(List<Item> items, PendingApprovals state, Set<String> remembered, List<Item> audit) {

    public static final SessionApprovals NONE =
            new SessionApprovals(List.of(), PendingApprovals.NONE, Set.of(), List.of());

    public SessionApprovals {
        items = List.copyOf(items);
        Objects.requireNonNull(state, "state");
        remembered = Set.copyOf(new LinkedHashSet<>(remembered));
        audit = List.copyOf(audit);
    }

    public SessionApprovals(List<Item> items, PendingApprovals state, Set<String> remembered) {
        this(items, state, remembered, List.of());
    }

    /**
     * A new pause of {@code items} in a session whose earlier approvals were {@code before}: the calls decided in the
     * pause this run went on from join the audit trail, as when a run ends ({@link #resumed}).
     */
    public static SessionApprovals paused(List<Item> items, PendingApprovals state, SessionApprovals before) {
        SessionApprovals done = before.resumed();
        return new SessionApprovals(items, state, done.remembered(), done.audit());
    }

    /**
     * One call waiting for a person.
     *
     * @param decision null until decided
     * @param diff     for a coding Write or Edit, the unified diff of what it would change; else null
     */
    public record Item(
            String approvalId,
            String toolCallId,
            String agent,
            String name,
            JsonObject input,
            Instant createdAt,
            Decision decision,
            String diff) {

        public Item {
            Objects.requireNonNull(approvalId, "approvalId");
            Objects.requireNonNull(toolCallId, "toolCallId");
            Objects.requireNonNull(name, "name");
            input = input == null ? Json.EMPTY_OBJECT : input;
            Objects.requireNonNull(createdAt, "createdAt");
        }

        public Item decided(Decision d) {
            return new Item(approvalId, toolCallId, agent, name, input, createdAt, d, diff);
        }

        /** {@code {approval_id, tool_call_id, agent, name, input, created_at}} as the API shows it. */
        public JsonObject toJson() {
            var o = Json.object()
                    .add("approval_id", approvalId)
                    .add("tool_call_id", toolCallId)
                    .add("agent", agent == null ? JsonValue.NULL : Json.string(agent))
                    .add("name", name)
                    .add("input", input)
                    .add("created_at", createdAt.toString());
            if (diff != null) {
                o.add("diff", diff);
            }
            if (decision != null) {
                o.add("decision", decision.toJson());
            }
            return o.build();
        }
    }

    /**
     * What a person decided about one call, when, why, and who ({@code decidedBy}: null when not known, as for a
     * decision stored before miu recorded it): the audit trail of the pause.
     */
    public record Decision(boolean approve, String reason, Instant decidedAt, Decider decidedBy) {
        public Decision {
            reason = reason == null ? "" : reason;
            Objects.requireNonNull(decidedAt, "decidedAt");
        }

        JsonObject toJson() {
            var o = Json.object()
                    .add("decision", approve ? "approve" : "deny")
                    .add("reason", reason)
                    .add("decided_at", decidedAt.toString());
            if (decidedBy != null) {
                o.add("decided_by", decidedBy.toJson());
            }
            return o.build();
        }

        static Decision fromJson(JsonObject d) {
            return new Decision(
                    "approve".equals(Json.string(d, "decision", null)),
                    Json.string(d, "reason", ""),
                    Instant.parse(Json.string(d, "decided_at", null)),
                    Decider.fromJson(Json.object(d, "decided_by")));
        }
    }

    /**
     * Who decided a call: how the decision came ({@code via}), the address of the client that sent it ({@code
     * client}, null when not known: a remembered tool, a cancel told by another server), and the name the person
     * gave ({@code user}, the request's optional {@code decided_by}; null when none was given).
     */
    public record Decider(Via via, String client, String user) {

        /** A tool approved "for this session" earlier: approved at once, by nobody in particular. */
        public static final Decider REMEMBERED = new Decider(Via.REMEMBERED, null, null);

        /** A cancel another server was sent: who sent it, and from where, stayed there. */
        public static final Decider CANCELLED_ELSEWHERE = new Decider(Via.CANCEL, null, null);

        public Decider {
            Objects.requireNonNull(via, "via");
        }

        /** How a decision came; its {@link #wire} name is what the API and the stores show. */
        public enum Via {
            /** {@code POST /sessions/{id}/approvals/{approval_id}} */
            HTTP,
            /** the WebSocket's {@code {"type":"approval"}} */
            WEBSOCKET,
            /** a cancel (the route, the WebSocket's, or one told by another server) denied what waited */
            CANCEL,
            /** the tool was approved for the rest of the session by an earlier decision */
            REMEMBERED;

            public String wire() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }

            static Via fromWire(String s) {
                for (Via v : values()) {
                    if (v.wire().equals(s)) {
                        return v;
                    }
                }
                return null;
            }
        }

        /** {@code {via, client?, user?}}: null members are left out. */
        public JsonObject toJson() {
            var o = Json.object().add("via", via.wire());
            if (client != null) {
                o.add("client", client);
            }
            if (user != null) {
                o.add("user", user);
            }
            return o.build();
        }

        /** Reads {@link #toJson}'s form; null (not known) for null or a {@code via} this miu does not know. */
        public static Decider fromJson(JsonObject o) {
            Via via = o == null ? null : Via.fromWire(Json.string(o, "via", null));
            return via == null ? null : new Decider(via, Json.string(o, "client", null), Json.string(o, "user", null));
        }
    }

    /** Whether some call of the last turn waits for a person. */
    public boolean isPaused() {
        return !items.isEmpty();
    }

    /** The calls not decided yet. */
    public List<Item> undecided() {
        return items.stream().filter(i -> i.decision() == null).toList();
    }

    public Optional<Item> item(String approvalId) {
        return items.stream().filter(i -> i.approvalId().equals(approvalId)).findFirst();
    }

    /** These approvals with {@code approvalId} decided, and its tool remembered when {@code remember}. */
    public SessionApprovals decide(String approvalId, Decision decision, boolean remember) {
        List<Item> next = new ArrayList<>();
        Set<String> tools = new LinkedHashSet<>(remembered);
        for (Item i : items) {
            if (i.approvalId().equals(approvalId)) {
                next.add(i.decided(decision));
                if (remember && decision.approve()) {
                    tools.add(i.name());
                }
            } else {
                next.add(i);
            }
        }
        return new SessionApprovals(next, state, tools, audit);
    }

    /** Every call undecided again: a continuation that failed before it could run, to be decided anew. */
    public SessionApprovals reopened() {
        return new SessionApprovals(items.stream().map(i -> i.decided(null)).toList(), state, remembered, audit);
    }

    /** Nothing waits any more; the remembered tools stay, and the decided calls go to the audit trail. */
    public SessionApprovals resumed() {
        List<Item> trail = new ArrayList<>(audit);
        items.stream().filter(i -> i.decision() != null).forEach(trail::add);
        return remembered.isEmpty() && trail.isEmpty()
                ? NONE
                : new SessionApprovals(List.of(), PendingApprovals.NONE, remembered, trail);
    }

    /** The undecided calls as the API lists them ({@code pending_approvals}). */
    public JsonArray pendingJson() {
        var array = Json.array();
        undecided().forEach(i -> array.add(i.toJson()));
        return array.build();
    }

    /** The decided calls of earlier pauses, as the API shows them ({@code approvals_audit}). */
    public JsonArray auditJson() {
        var array = Json.array();
        audit.forEach(i -> array.add(i.toJson()));
        return array.build();
    }

    /** The stored form: {@code {items: [...], state: {...}, remembered: [...], audit: [...]}}. */
    JsonObject toJson() {
        var list = Json.array();
        items.forEach(i -> list.add(i.toJson()));
        var tools = Json.array();
        remembered.stream().sorted().forEach(tools::add);
        return Json.object()
                .add("items", list)
                .add("state", state.toJson())
                .add("remembered", tools)
                .add("audit", auditJson())
                .build();
    }

    /** Reads {@link #toJson}'s form; none when {@code o} is null (a file written before approvals). */
    static SessionApprovals fromJson(JsonObject o) {
        if (o == null) {
            return NONE;
        }
        List<Item> items = items(Json.array(o, "items"));
        JsonObject state = Json.object(o, "state");
        Set<String> remembered = new LinkedHashSet<>();
        JsonArray tools = Json.array(o, "remembered");
        if (tools != null) {
            tools.forEach(t -> remembered.add(((jakarta.json.JsonString) t).getString()));
        }
        return new SessionApprovals(
                items,
                state == null ? PendingApprovals.NONE : PendingApprovals.fromJson(state),
                remembered,
                items(Json.array(o, "audit")));
    }

    private static List<Item> items(JsonArray list) {
        List<Item> items = new ArrayList<>();
        if (list != null) {
            for (JsonValue v : list) {
                JsonObject i = (JsonObject) v;
                JsonObject d = Json.object(i, "decision");
                items.add(new Item(
                        Json.string(i, "approval_id", null),
                        Json.string(i, "tool_call_id", null),
                        Json.string(i, "agent", null),
                        Json.string(i, "name", null),
                        Json.object(i, "input"),
                        Instant.parse(Json.string(i, "created_at", null)),
                        d == null ? null : Decision.fromJson(d),
                        Json.string(i, "diff", null)));
            }
        }
        return items;
    }
}
