package dev.miu.studio.http;

import dev.miu.studio.StudioException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A decision on a waiting tool call, from {@code POST /sessions/{id}/approvals/{approval_id}} or the WebSocket's
 * {@code {"type":"approval", ...}}: {@code {decision: approve|deny, reason?, remember?, decided_by?}}
 * ({@code decidedBy}: the name the person gives for the audit, or null).
 */
record ApprovalRequest(boolean approve, String reason, boolean remember, String decidedBy) {

    static final int MAX_REASON = 4000;

    static ApprovalRequest from(JsonObject body) {
        String decision = Fields.requiredString(body, "decision", 20).strip();
        if (!decision.equals("approve") && !decision.equals("deny")) {
            throw StudioException.unprocessable("'decision' must be approve or deny, found '" + decision + "'");
        }
        String reason = Fields.optionalString(body, "reason", MAX_REASON);
        boolean remember = false;
        JsonValue r = body.get("remember");
        if (r != null && r.getValueType() != JsonValue.ValueType.NULL) {
            if (r.getValueType() != JsonValue.ValueType.TRUE && r.getValueType() != JsonValue.ValueType.FALSE) {
                throw StudioException.unprocessable("'remember' must be true or false");
            }
            remember = r.getValueType() == JsonValue.ValueType.TRUE;
        }
        if (remember && decision.equals("deny")) {
            throw StudioException.unprocessable("'remember' goes with approve: it approves the tool for the session");
        }
        return new ApprovalRequest(
                decision.equals("approve"), reason == null ? "" : reason.strip(), remember, Deciders.user(body));
    }
}
