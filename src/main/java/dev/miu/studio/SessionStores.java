package dev.miu.studio;

import dev.miu.config.MiuConfig;
import dev.miu.config.SessionSettings;
import dev.miu.studio.session.FileSessionRepository;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.session.TurnLeases;

/**
 * Opens the session store the configuration chooses ({@code sessions.store}). The PostgreSQL store's classes (and the
 * driver, pool and migrations they load) are named only in {@link #postgres}, so a file store never loads them.
 */
public final class SessionStores {

    private SessionStores() {}

    public static SessionRepository open(MiuConfig config) {
        return config.sessions().store() == SessionSettings.Store.POSTGRES
                ? postgres(config)
                : new FileSessionRepository(config.dataDir(), config.sessions());
    }

    /**
     * The turn leases that go with {@code sessions}: in the database when it is a PostgreSQL store (so servers
     * sharing it run one turn per session between them), else this server's own.
     */
    public static TurnLeases leases(MiuConfig config, SessionRepository sessions) {
        if (sessions instanceof dev.miu.studio.session.postgres.PostgresSessionRepository p) {
            return p.leases(config.database().leaseTtl(), instanceName(config));
        }
        return TurnLeases.local();
    }

    /** For people reading {@code turn_leases}: host, port and process id. */
    private static String instanceName(MiuConfig config) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + ":" + config.server().port() + " pid "
                + ProcessHandle.current().pid();
    }

    private static SessionRepository postgres(MiuConfig config) {
        return dev.miu.studio.session.postgres.PostgresSessionRepository.open(config.database());
    }
}
