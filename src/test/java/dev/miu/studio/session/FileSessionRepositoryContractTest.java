package dev.miu.studio.session;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The repository contract on the file store; a second instance is the next start on the same directory. */
class FileSessionRepositoryContractTest extends SessionRepositoryContract {

    @TempDir
    Path dir;

    @Override
    protected SessionRepository open() {
        return new FileSessionRepository(dir);
    }

    @Override
    protected SessionRepository reopen() {
        store.shutdown(); // one server per data directory: the first lets go of it
        store.close();
        store = new FileSessionRepository(dir);
        return store;
    }
}
