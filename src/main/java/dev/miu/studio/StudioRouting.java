package dev.miu.studio;

import dev.miu.studio.a2a.A2aService;
import dev.miu.studio.http.AccessFilter;
import dev.miu.studio.http.AccessPolicy;
import dev.miu.studio.http.AgentService;
import dev.miu.studio.http.ChatService;
import dev.miu.studio.http.ChatSocket;
import dev.miu.studio.http.ConnectionCloseFilter;
import dev.miu.studio.http.Errors;
import dev.miu.studio.http.HealthService;
import dev.miu.studio.http.InfoService;
import dev.miu.studio.http.McpService;
import dev.miu.studio.http.OpenApiService;
import dev.miu.studio.http.RagHttpService;
import dev.miu.studio.http.SessionService;
import dev.miu.studio.http.StaticService;
import dev.miu.studio.http.TraceService;
import dev.miu.studio.http.TracingFilter;
import dev.miu.studio.mcp.McpHttpService;
import dev.miu.studio.openai.OpenAiService;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.websocket.WsRouting;

/** Mounts the whole studio. {@code miu serve} and the tests call these same two methods. */
public final class StudioRouting {

    public static final String API = "/api/v1";

    private StudioRouting() {}

    /**
     * The HTTP routes: connection handling, tracing and access control first, then the API services, the API's
     * document ({@code /openapi.json}, {@code /docs}), the UI files, and a JSON 404 for the rest.
     */
    public static void routing(HttpRouting.Builder routing, Studio studio) {
        var access = new AccessPolicy(studio.config().server());
        routing.addFilter(new ConnectionCloseFilter());
        routing.addFilter(new TracingFilter());
        routing.addFilter(new AccessFilter(access));
        Errors.register(routing);
        routes(routing, studio);
    }

    /**
     * The routes alone, which OpenApiContractTest walks to find any that {@code openapi.yaml} does not describe:
     * the API services, the API's document and the UI files, then a JSON 404 for the rest.
     */
    public static void routes(HttpRules routing, Studio studio) {
        long maxBody = studio.config().server().maxBodyBytes();
        routing.register(
                        API,
                        new HealthService(studio.sessions()),
                        new SessionService(studio.sessions(), studio.config(), studio.agents()),
                        new AgentService(studio.agents(), studio.config()),
                        new ChatService(
                                studio.chat(), maxBody, studio.config().server().streamWriteTimeout()),
                        new TraceService(),
                        new McpService(studio.mcp()),
                        new InfoService(ModelStatus.of(studio.config()), studio.tools()::names, studio.agents()))
                .register(McpHttpService.PATH, McpHttpService.create(studio.chat(), studio.sessions(), studio.config()))
                .register(new OpenApiService(), new StaticService());
        routing.register(
                OpenAiService.PATH,
                new OpenAiService(
                        studio.chat(), maxBody, studio.config().server().streamWriteTimeout()));
        if (studio.rag() != null) {
            routing.register(RagHttpService.PATH, new RagHttpService(studio.rag(), maxBody));
        }
        routing.register(
                A2aService.PATH,
                new A2aService(
                        studio.chat(),
                        studio.sessions(),
                        new AccessPolicy(studio.config().server()),
                        maxBody,
                        studio.config().agent().turnTimeout()));
        routing.any(Errors::notFound);
    }

    /** The chat WebSocket, one listener per connection. */
    public static void websocket(WsRouting.Builder ws, Studio studio) {
        var access = new AccessPolicy(studio.config().server());
        long maxMessage = studio.config().server().maxBodyBytes();
        ws.endpoint(ChatSocket.PATH_PREFIX + "{session_id}", () -> new ChatSocket(studio.chat(), access, maxMessage));
    }
}
