package dev.miu.studio;

import dev.miu.studio.session.Session;
import dev.miu.studio.session.SessionPage;
import dev.miu.studio.session.SessionQuery;
import dev.miu.studio.session.SessionRepository;
import dev.miu.studio.session.SessionSummary;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** A real store behind every method; a test overrides the one it needs to fail or to watch. */
class DelegatingSessionRepository implements SessionRepository {

    final SessionRepository store;

    DelegatingSessionRepository(SessionRepository store) {
        this.store = store;
    }

    @Override
    public Session create(Session session) {
        return store.create(session);
    }

    @Override
    public Optional<Session> find(String id) {
        return store.find(id);
    }

    @Override
    public Optional<Session> findForTurn(String id) {
        return store.findForTurn(id);
    }

    @Override
    public List<SessionSummary> list() {
        return store.list();
    }

    @Override
    public SessionPage list(SessionQuery query) {
        return store.list(query);
    }

    @Override
    public Optional<Session> update(String id, UnaryOperator<Session> change) {
        return store.update(id, change);
    }

    @Override
    public Optional<Session> updateEndingTurn(String id, UnaryOperator<Session> change) {
        return store.updateEndingTurn(id, change);
    }

    @Override
    public Optional<Session> stage(String id, UnaryOperator<Session> change) {
        return store.stage(id, change);
    }

    @Override
    public void flush() {
        store.flush();
    }

    @Override
    public void shutdown() {
        store.shutdown();
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public boolean delete(String id) {
        return store.delete(id);
    }

    @Override
    public boolean isReady() {
        return store.isReady();
    }

    @Override
    public String describe() {
        return store.describe();
    }
}
