package dev.miu.cli;

import dev.miu.core.json.Json;
import dev.miu.studio.Api;
import dev.miu.studio.StudioRegistry;
import dev.miu.studio.WsClient;
import dev.miu.testing.ChildEnvironment;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.common.types.TypeName;
import io.helidon.service.registry.GlobalServiceRegistry;
import io.helidon.service.registry.Lookup;
import io.helidon.service.registry.ServiceInfo;
import io.helidon.service.registry.ServiceRegistry;
import io.helidon.service.registry.ServiceRegistryManager;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Run by {@code StudioRegistryTest} in a JVM of its own: records every lookup Helidon makes in its global registry
 * while {@code miu serve} starts and serves health, the UI, sessions, and chats over REST, SSE and WebSocket. The
 * global registry is the one discovery builds (as in a plain Helidon application); each recorded lookup is then
 * asked of {@link StudioRegistry#create()} too. Prints one line per lookup, {@code LOOKUP same <lookup> -> <types>}
 * or {@code LOOKUP DIFFERS <lookup>: discovered <types>, studio <types>}, then {@code PROBE DONE}.
 */
public final class RegistryLookupProbe {

    /** Services of test-scope dependencies (helidon-webserver-testing-junit5 brings the web client), not in miu. */
    private static final String TEST_ONLY = "io.helidon.webclient.";

    private RegistryLookupProbe() {}

    /** Runs the probe in a JVM of its own and returns its {@code LOOKUP} lines. */
    public static List<String> runInItsOwnJvm() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), RegistryLookupProbe.class.getName())
                .redirectErrorStream(true);
        ChildEnvironment.removeProviderAndMiuSettings(builder.environment());
        Process process = builder.start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !output.contains("PROBE DONE")) {
            process.destroyForcibly();
            throw new AssertionError("the registry probe failed:\n" + output);
        }
        return output.lines().filter(line -> line.startsWith("LOOKUP ")).toList();
    }

    public static void main(String[] args) throws Exception {
        ServiceRegistry discovered = ServiceRegistryManager.create().registry();
        Set<Lookup> lookups = ConcurrentHashMap.newKeySet();
        InvocationHandler recorder = (proxy, method, arguments) -> {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, arguments); // ends in an abstract method below
            }
            if (arguments != null && arguments.length == 1) {
                switch (arguments[0]) {
                    case TypeName type -> lookups.add(Lookup.create(type));
                    case Lookup lookup -> lookups.add(lookup);
                    case ServiceInfo info -> lookups.add(Lookup.create(info.serviceType()));
                    default -> {}
                }
            }
            try {
                return method.invoke(discovered, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        GlobalServiceRegistry.registry(() -> (ServiceRegistry) Proxy.newProxyInstance(
                RegistryLookupProbe.class.getClassLoader(), new Class<?>[] {ServiceRegistry.class}, recorder));

        Path data = Files.createTempDirectory("miu-registry-probe");
        try (ScriptedLlmServer scripted = ScriptedLlmServer.start()) {
            Map<String, String> env = new HashMap<>(scripted.environment());
            env.put("MIU_DATA_DIR", data.toString());
            env.put("MIU_MODEL", "anthropic:claude-test");
            ServeCommand serve = ServeFastPath.parse(new String[] {"serve", "--host", "127.0.0.1", "--port", "0"}, env);
            StringWriter log = new StringWriter();
            serve.out = new PrintWriter(log, true);
            serve.err = new PrintWriter(System.err, true);
            Thread serving = Thread.ofPlatform().name("probe-serve").start(() -> {
                try {
                    serve.call();
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            Api api = new Api(URI.create(AotTraining.awaitUrl(log, serving)));
            exercise(api, scripted);
            serving.interrupt(); // serve stops its server cleanly when interrupted
            serving.join(30_000);
        }

        ServiceRegistry studio = StudioRegistry.create();
        for (Lookup lookup : lookups) {
            Set<String> expected = types(discovered, lookup);
            Set<String> actual = types(studio, lookup);
            System.out.println(
                    expected.equals(actual)
                            ? "LOOKUP same " + lookup.contracts() + " -> " + actual
                            : "LOOKUP DIFFERS " + lookup.contracts() + ": discovered " + expected + ", studio "
                                    + actual);
        }
        System.out.println("PROBE DONE");
        System.exit(0); // the scripted server's and Helidon's threads need not wind down
    }

    private static void exercise(Api api, ScriptedLlmServer scripted) {
        check(api.get("/api/v1/health").status() == 200, "health");
        check(api.get("/api/v1/ready").status() == 200, "ready");
        check(api.get("/").body().contains("/static/app.js"), "the UI");
        check(api.get("/static/app.js").status() == 200, "a static file");
        check(api.get("/api/v1/sessions/not-an-id").status() == 400, "a bad session id");
        check(api.get("/api/v1/no-such-route").status() == 404, "an unknown route");
        String id = api.newSession();
        check(api.get("/api/v1/sessions/").status() == 200, "the session list");
        scripted.enqueue(Reply.text("Paris"), Reply.text("Hello there friend"), Reply.text("Over the socket"));
        check(api.post("/api/v1/chat/invoke", turn(id, "Capital of France?")).status() == 200, "invoke");
        check(api.stream("/api/v1/chat/stream", turn(id, "Hi")).text().equals("Hello there friend"), "SSE");
        try (WsClient ws = WsClient.connect(api.base(), "/api/v1/chat/ws/" + id)) {
            ws.send("{\"message\":\"And now?\"}");
            check(ws.until("done") != null, "WebSocket");
        }
        check(api.patch("/api/v1/sessions/" + id, "{\"name\":\"renamed\"}").status() == 200, "rename");
        check(api.delete("/api/v1/sessions/" + id).status() == 200, "delete");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("the probe's " + what + " request failed");
        }
    }

    private static String turn(String id, String message) {
        return Json.write(
                Json.object().add("session_id", id).add("message", message).build());
    }

    private static Set<String> types(ServiceRegistry registry, Lookup lookup) {
        List<ServiceInfo> services = registry.lookupServices(lookup);
        return services.stream()
                .map(info -> info.descriptorType().fqName())
                .filter(type -> !type.startsWith(TEST_ONLY))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
