package dev.miu.studio.http;

import dev.miu.studio.StudioException;
import dev.miu.studio.session.CorruptSessionException;
import dev.miu.studio.session.SessionStoreUnavailableException;
import io.helidon.http.HttpException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Every error becomes {@code {"detail": ...}} with its status, mapped here once for the whole routing. */
public final class Errors {

    private static final System.Logger LOG = System.getLogger(Errors.class.getName());

    private Errors() {}

    public static void register(HttpRouting.Builder routing) {
        routing.error(StudioException.class, (req, res, e) -> HttpJson.detail(res, e.status(), e.detail()))
                .error(
                        HttpException.class,
                        (req, res, e) -> HttpJson.detail(res, e.status().code(), e.getMessage()))
                .error(SessionStoreUnavailableException.class, (req, res, e) -> {
                    logOutage(e);
                    HttpJson.detail(res, 503, e.getMessage());
                })
                .error(CorruptSessionException.class, (req, res, e) -> {
                    LOG.log(System.Logger.Level.ERROR, e.getMessage());
                    HttpJson.detail(res, 500, hiddenDetail(e));
                })
                .error(UncheckedIOException.class, (req, res, e) -> {
                    LOG.log(
                            System.Logger.Level.ERROR,
                            "Storage error on " + req.path().path(),
                            e);
                    HttpJson.detail(res, 500, hiddenDetail(e));
                })
                .error(RuntimeException.class, (req, res, e) -> {
                    LOG.log(
                            System.Logger.Level.ERROR,
                            "Unexpected error on " + req.path().path(),
                            e);
                    HttpJson.detail(res, 500, "Internal server error");
                });
    }

    /** How often an outage of the session store is logged while it lasts (every request it fails answers 503). */
    static final long OUTAGE_LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final AtomicLong lastOutageLog = new AtomicLong(System.nanoTime() - OUTAGE_LOG_EVERY_NANOS);
    private static final AtomicLong outagesNotLogged = new AtomicLong();

    /**
     * Logs that the store is away at most once every {@link #OUTAGE_LOG_EVERY_NANOS}, saying how many failed requests
     * were not logged since: a database outage under load would otherwise write a warning per request.
     */
    static void logOutage(SessionStoreUnavailableException e) {
        long now = System.nanoTime();
        long last = lastOutageLog.get();
        if (now - last >= OUTAGE_LOG_EVERY_NANOS && lastOutageLog.compareAndSet(last, now)) {
            long more = outagesNotLogged.getAndSet(0);
            LOG.log(
                    System.Logger.Level.WARNING,
                    e.getMessage() + ": " + e.getCause()
                            + (more > 0 ? " (and " + more + " more requests failed so since the last warning)" : ""));
        } else {
            outagesNotLogged.incrementAndGet();
        }
    }

    /**
     * What a client is told of a failure it did not cause: never the exception's message, which names the server's
     * files (its data directory, a session's path); the server log has the whole of it.
     */
    public static String hiddenDetail(RuntimeException e) {
        if (e instanceof SessionStoreUnavailableException) {
            return e.getMessage(); // names no server detail: says to try again
        }
        if (e instanceof UncheckedIOException) {
            return "Storage error: the server could not read or write its data; see the server log";
        }
        if (e instanceof CorruptSessionException) {
            return "This session's file is corrupt and cannot be read; see the server log";
        }
        return "Internal server error; see the server log";
    }

    /** The last route: anything no other route took. */
    public static void notFound(ServerRequest req, ServerResponse res) {
        HttpJson.detail(res, 404, "Not Found");
    }
}
