package dev.miu.studio.http;

import dev.miu.core.json.Json;
import dev.miu.studio.session.SessionRepository;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;

/**
 * {@code /health}: the process answers. {@code /ready}: the session store can be used. Both answer GET and HEAD
 * without the API key (probes carry none), so they say nothing more than that: no paths, no settings.
 */
public final class HealthService implements HttpService {

    private final SessionRepository sessions;

    public HealthService(SessionRepository sessions) {
        this.sessions = sessions;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", this::health)
                .get("/ready", this::ready)
                .head("/health", this::health) // probes that only look at the status
                .head("/ready", this::ready);
    }

    private void health(ServerRequest req, ServerResponse res) {
        answer(req, res, 200, Json.object().add("status", "ok").build());
    }

    private void ready(ServerRequest req, ServerResponse res) {
        if (sessions.isReady()) {
            answer(req, res, 200, Json.object().add("status", "ready").build());
        } else {
            answer(
                    req,
                    res,
                    503,
                    Json.object()
                            .add("status", "not ready")
                            .add(
                                    "detail",
                                    "The session store cannot be written; miu serve's start-up lines say where it is")
                            .build());
        }
    }

    /** The JSON answer, or for HEAD its status alone: Helidon would send a HEAD route's entity as a body. */
    private static void answer(ServerRequest req, ServerResponse res, int status, JsonObject body) {
        if (req.prologue().method() == Method.HEAD) {
            res.status(status).header(HeaderValues.CONTENT_TYPE_JSON).send();
        } else {
            HttpJson.send(res, status, body);
        }
    }
}
