package dev.miu.studio;

import dev.miu.agents.AgentCatalog;
import dev.miu.config.AgentSettings;
import dev.miu.config.DatabaseSettings;
import dev.miu.config.MiuConfig;
import dev.miu.config.ServerSettings;
import dev.miu.config.SessionSettings;
import dev.miu.core.mcp.McpServers;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.core.provider.RetryPolicy;
import dev.miu.studio.session.FileSessionRepository;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.session.postgres.PostgresSessionRepository;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.PostgresCluster;
import dev.miu.testing.PostgresServer;
import dev.miu.testing.TempDirs;
import io.helidon.webserver.WebServerConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Builds studios for tests: provider settings injected (never the real environment), data in a temp directory. The
 * sessions are in the file store, or with {@code -Dmiu.test.sessions-store=postgres} (the build's
 * {@code studio-on-postgres} run of the API tests) each studio gets a fresh database on the test PostgreSQL.
 */
public final class StudioFixtures {

    /** Which store the studios of this test run keep their sessions in. */
    public static final SessionSettings.Store STORE =
            "postgres".equalsIgnoreCase(System.getProperty("miu.test.sessions-store", "file"))
                    ? SessionSettings.Store.POSTGRES
                    : SessionSettings.Store.FILE;

    public static final String SYSTEM_PROMPT = "You are a test assistant.";
    /** Retries as in production, without the waiting, so "after its retries" tests are quick. */
    public static final ProviderOptions FAST_RETRIES =
            ProviderOptions.DEFAULT.withRetry(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(5)));

    private StudioFixtures() {}

    public static ServerSettings server() {
        return new ServerSettings("127.0.0.1", 0, null, List.of(), 1024 * 1024);
    }

    public static MiuConfig config(ProviderSettings providers, Path dataDir, ServerSettings server) {
        return MiuConfig.defaults(dataDir)
                .withAgent(new AgentSettings(null, SYSTEM_PROMPT, 10, 1024, null, 150_000))
                .withServer(server)
                .withProviders(providers);
    }

    /** A new, empty session store of this run's kind ({@link #STORE}); a file store lives in {@code dataDir}. */
    public static SessionRepository sessions(Path dataDir) {
        if (STORE == SessionSettings.Store.FILE) {
            return new FileSessionRepository(dataDir);
        }
        PostgresCluster cluster = PostgresServer.cluster();
        return PostgresSessionRepository.open(new DatabaseSettings(
                cluster.url(cluster.createDatabase()), PostgresServer.USER, null, 8, Duration.ofSeconds(5)));
    }

    public static Studio studio(ProviderSettings providers, Path dataDir, ServerSettings server, StudioTools tools) {
        return new Studio(config(providers, dataDir, server), sessions(dataDir), tools, FAST_RETRIES);
    }

    /** A studio hosting the agents of {@code agents}, its sessions in {@code dataDir}. */
    public static Studio studio(ProviderSettings providers, Path dataDir, AgentCatalog agents) {
        return studio(providers, dataDir, agents, AgentSettings.DEFAULT_APPROVAL_TIMEOUT);
    }

    /**
     * As {@link #studio(ProviderSettings, Path, AgentCatalog)}, with {@code agent.approval-timeout} (zero: a paused
     * turn ends at once).
     */
    public static Studio studio(
            ProviderSettings providers, Path dataDir, AgentCatalog agents, Duration approvalTimeout) {
        MiuConfig config = config(providers, dataDir, server());
        return new Studio(
                config.withAgent(config.agent().withApprovalTimeout(approvalTimeout)),
                sessions(dataDir),
                StudioTools.none(),
                agents,
                McpServers.none(),
                null);
    }

    public static Studio studio(ProviderSettings providers, StudioTools tools) {
        return studio(providers, tempDir(), server(), tools);
    }

    /** Mounts a studio on a {@code @ServerTest} server as {@code miu serve} does: routes, WebSocket, settings. */
    public static void mount(WebServerConfig.Builder server, Studio studio) {
        StudioServer.mount(server, studio);
    }

    public static Path tempDir() {
        return TempDirs.create("miu-studio-test");
    }
}
