package dev.miu.studio.openai;

import dev.miu.agents.SamplingLimits;
import dev.miu.config.AgentDefinition;
import dev.miu.core.json.Json;
import dev.miu.studio.StudioException;
import dev.miu.studio.chat.ChatEvent;
import dev.miu.studio.chat.ChatRunner;
import dev.miu.studio.chat.ChatTurn;
import dev.miu.studio.chat.StatelessOptions;
import dev.miu.studio.chat.TurnResult;
import dev.miu.studio.http.ClientWatch;
import dev.miu.studio.http.RequestBody;
import dev.miu.studio.session.SessionIds;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code /v1}: the OpenAI-compatible API. {@code GET /models} lists the agents as models; {@code POST
 * /chat/completions} runs the named agent on the request's messages (stateless, as OpenAI is), or, with header
 * {@value #SESSION_HEADER}, as a turn of that stored session on its last user message. Every error is in OpenAI's
 * shape. A client that leaves stops its turn.
 */
public final class OpenAiService implements HttpService {

    public static final String PATH = "/v1";
    public static final String SESSION_HEADER = "X-Miu-Session-Id";

    private static final System.Logger LOG = System.getLogger(OpenAiService.class.getName());
    private static final HeaderName SESSION = HeaderNames.create(SESSION_HEADER);
    private static final HttpMediaType EVENT_STREAM = HttpMediaType.create("text/event-stream; charset=utf-8");

    private final ChatRunner chat;
    private final long maxBodyBytes;
    private final ClientWatch clients;
    /** The models' {@code created}: agents have no creation time, so the time this server started. */
    private final long created = Instant.now().getEpochSecond();

    public OpenAiService(ChatRunner chat, long maxBodyBytes, Duration streamWriteTimeout) {
        this.chat = chat;
        this.maxBodyBytes = maxBodyBytes;
        this.clients = new ClientWatch(streamWriteTimeout);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/models", guarded(this::models))
                .get("/models/{model}", guarded(this::model))
                .post("/chat/completions", guarded(this::completions))
                .any(guarded(this::unknown));
    }

    private void models(ServerRequest req, ServerResponse res) {
        var data = Json.array();
        chat.agents().definitions().forEach(d -> data.add(model(d)));
        send(res, 200, Json.object().add("object", "list").add("data", data).build());
    }

    private void model(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("model");
        send(res, 200, model(chat.agents().find(name).orElseThrow(() -> unknownModel(name))));
    }

    private JsonObject model(AgentDefinition agent) {
        return Json.object()
                .add("id", agent.name())
                .add("object", "model")
                .add("created", created)
                .add("owned_by", "miu")
                .build();
    }

    private OpenAiError.Failure unknownModel(String name) {
        return new OpenAiError.Failure(new OpenAiError(
                404,
                "The model '" + name + "' does not exist; the models are miu's agents: "
                        + String.join(", ", chat.agents().names()),
                "model_not_found"));
    }

    private void completions(ServerRequest req, ServerResponse res) {
        CompletionRequest body = CompletionRequest.parse(readObject(req));
        if (chat.agents().find(body.model()).isEmpty()) {
            throw unknownModel(body.model());
        }
        Optional<String> session = req.headers().first(SESSION);
        ChatTurn turn;
        Function<Consumer<ChatEvent>, TurnResult> run;
        if (session.isPresent()) {
            String id = SessionIds.normalize(session.get());
            if (id == null) {
                throw OpenAiError.badRequest(SESSION_HEADER + " is not a valid session id");
            }
            if (body.lastUserText() == null) {
                throw OpenAiError.badRequest("With " + SESSION_HEADER
                        + " the last message must be the user's new message: the session has the history");
            }
            turn = chat.begin(id, body.model(), new SamplingLimits(body.maxTokens(), body.temperature()));
            run = events -> chat.run(turn, body.lastUserText(), events);
        } else {
            turn = chat.beginStateless(
                    body.model(), new StatelessOptions(body.system(), body.maxTokens(), body.temperature()));
            run = events -> chat.runStateless(turn, body.conversation(), events);
        }
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        if (body.stream()) {
            stream(req, res, turn, run, id, body);
            return;
        }
        Answer answer = new Answer(piece -> {});
        TurnResult result;
        try (turn;
                ClientWatch.Watched ignored = clients.watch(req, turn)) {
            result = run.apply(answer);
        }
        answer.finish(result);
        send(res, 200, answer.completion(id, created, body.model(), result));
    }

    private void stream(
            ServerRequest req,
            ServerResponse res,
            ChatTurn turn,
            Function<Consumer<ChatEvent>, TurnResult> run,
            String id,
            CompletionRequest body) {
        try (ClientWatch.Watched client = clients.watch(req, turn)) { // until the last write, after the turn
            ChunkStream out;
            TurnResult result = null;
            OpenAiError failure = null;
            Answer answer;
            try (turn) {
                res.header(HeaderNames.CACHE_CONTROL, "no-cache");
                res.header(HeaderNames.create("X-Accel-Buffering"), "no"); // tells proxies not to buffer the stream
                res.headers().contentType(EVENT_STREAM);
                res.status(200);
                out = new ChunkStream(res.outputStream(), client, turn, id, created, body.model(), body.includeUsage());
                out.start();
                answer = new Answer(out::content);
                try {
                    result = run.apply(answer);
                } catch (StudioException e) {
                    failure = OpenAiError.of(e);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "OpenAI-compatible chat turn failed", e);
                    failure = internal();
                }
            }
            if (failure != null) {
                out.error(failure);
            } else {
                answer.finish(result);
                out.finish(Answer.finishReason(result.stopReason()), result.usage());
            }
            out.close();
        }
    }

    private void unknown(ServerRequest req, ServerResponse res) {
        String path = req.path().absolute().path();
        boolean known = path.equals(PATH + "/models") || path.equals(PATH + "/chat/completions");
        throw new OpenAiError.Failure(
                known
                        ? new OpenAiError(
                                405, "Method " + req.prologue().method().text() + " is not allowed on " + path, null)
                        : new OpenAiError(
                                404,
                                "Unknown route " + path + " (this server has /v1/models and /v1/chat/completions)",
                                null));
    }

    /** The request body as a JSON object: 413 above the body limit, 400 when it is missing or not a JSON object. */
    private JsonObject readObject(ServerRequest req) {
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) {
            throw tooLarge();
        }
        if (!req.content().hasEntity()) {
            throw OpenAiError.badRequest("A JSON request body is required");
        }
        byte[] bytes = RequestBody.read(req, maxBodyBytes);
        if (bytes.length > maxBodyBytes) {
            throw tooLarge();
        }
        JsonValue value;
        try {
            value = Json.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw OpenAiError.badRequest("The request body is not valid JSON: " + e.getMessage());
        }
        if (!(value instanceof JsonObject object)) {
            throw OpenAiError.badRequest("The request body must be a JSON object");
        }
        return object;
    }

    private OpenAiError.Failure tooLarge() {
        return new OpenAiError.Failure(new OpenAiError(
                413,
                "The request body is larger than the limit of " + maxBodyBytes + " bytes (server.max-body-bytes)",
                null));
    }

    private static OpenAiError internal() {
        return new OpenAiError(500, "Internal server error; see the server log", null);
    }

    /** Every failure of a route in OpenAI's shape (the studio's own error handlers answer {@code detail}). */
    private static Handler guarded(Handler handler) {
        return (req, res) -> {
            OpenAiError error;
            try {
                handler.handle(req, res);
                return;
            } catch (OpenAiError.Failure f) {
                error = f.error();
            } catch (StudioException e) {
                error = OpenAiError.of(e);
            } catch (HttpException e) {
                error = new OpenAiError(e.status().code(), e.getMessage(), null);
            } catch (CloseConnectionException e) {
                throw e; // nobody is left to answer
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.ERROR,
                        "Unexpected error on " + req.path().path(),
                        e);
                error = internal();
            }
            if (!res.isSent()) {
                send(res, error.status(), error.toJson());
            }
        };
    }

    static void send(ServerResponse res, int status, JsonValue body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.write(body).getBytes(StandardCharsets.UTF_8));
    }
}
