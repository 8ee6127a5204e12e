package dev.miu.studio.http;

import dev.miu.core.json.Json;
import dev.miu.core.tracing.Tracing;
import dev.miu.studio.StudioException;
import dev.miu.studio.session.SessionIds;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /traces?session_id=ID}: the recent traces kept in memory, newest first, each with its spans
 * (timings relative to the trace start, GenAI attributes), for the UI's waterfall. When tracing is off it says so.
 */
public final class TraceService implements HttpService {

    @Override
    public void routing(HttpRules rules) {
        rules.get("/traces", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        String sessionId = req.query().first("session_id").orElse(null);
        if (sessionId != null) {
            sessionId = SessionIds.normalize(sessionId);
            if (sessionId == null) {
                throw StudioException.badRequest("Invalid session ID format");
            }
        }
        var recent = Tracing.current().recent();
        if (recent == null) {
            HttpJson.send(
                    res,
                    200,
                    Json.object()
                            .add("enabled", false)
                            .add(
                                    "detail",
                                    "Tracing is off: set tracing.enabled: true in app.yaml (or OTEL_EXPORTER_OTLP_ENDPOINT) to see traces here.")
                            .add("traces", Json.array())
                            .build());
            return;
        }
        HttpJson.send(
                res,
                200,
                Json.object()
                        .add("enabled", true)
                        .add("traces", recent.toJson(sessionId))
                        .build());
    }
}
