package dev.miu.studio;

import dev.miu.config.MiuConfig;
import dev.miu.config.SessionSettings;
import dev.miu.studio.session.FileSessionRepository;
import dev.miu.studio.session.SessionRepository;

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

    private static SessionRepository postgres(MiuConfig config) {
        return dev.miu.studio.session.postgres.PostgresSessionRepository.open(config.database());
    }
}
