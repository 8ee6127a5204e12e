package dev.miu.studio.http;

import dev.miu.studio.StudioException;
import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http.ServerRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

/**
 * Reads a request body with a size limit, turning what a client can get wrong into a 400 with a {@code detail}
 * (Helidon 4.5.0 surfaces these as exceptions that became 500s with a stack trace): a body shorter than its
 * {@code Content-Length}, a malformed chunk size or a chunk extension, and (through {@link ConnectionWatch}) a body
 * that stops arriving.
 */
public final class RequestBody {

    /** Marks, in the request's context, a request whose connection must close after the answer. */
    private static final String MALFORMED = RequestBody.class.getName() + ".malformed";

    private RequestBody() {}

    /** Whether reading {@code req}'s body failed with a {@link Malformed}: its connection closes after the answer. */
    static boolean malformed(ServerRequest req) {
        return req.context().get(MALFORMED, Boolean.class).orElse(false);
    }

    /** Refused: the connection closes after the 400, as what follows on it cannot be trusted to be a request. */
    public static final class Malformed extends StudioException {
        Malformed(String detail) {
            super(400, detail);
        }
    }

    /**
     * The body's bytes, at most {@code limit + 1} of them (the caller answers 413 above {@code limit}).
     *
     * @throws Malformed the body is shorter than declared or its chunks are malformed
     * @throws CloseConnectionException the body stopped and the connection was answered and closed
     */
    public static byte[] read(ServerRequest req, long limit) {
        OptionalLong declared = req.headers().contentLength();
        var watched = ConnectionWatch.of(req);
        watched.ifPresent(ConnectionWatch.Watched::bodyStarted);
        var out = new ByteArrayOutputStream((int) Math.min(declared.orElse(8192), Math.min(limit + 1, 1 << 20)));
        try (InputStream in = req.content().inputStream()) {
            byte[] buffer = new byte[8192];
            long max = limit + 1;
            int n;
            while (out.size() < max && (n = in.read(buffer, 0, (int) Math.min(buffer.length, max - out.size()))) > 0) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (RuntimeException | IOException e) {
            if (watched.isPresent() && watched.get().timedOut()) {
                throw new CloseConnectionException("request body timed out", e);
            }
            RuntimeException refusal = refusal(e, out.size(), declared);
            if (refusal instanceof Malformed) {
                req.context().register(MALFORMED, Boolean.TRUE);
            }
            throw refusal;
        } finally {
            watched.ifPresent(ConnectionWatch.Watched::bodyDone);
        }
    }

    private static RuntimeException refusal(Exception e, int got, OptionalLong declared) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataReader.InsufficientDataAvailableException) {
                return new Malformed("The request body ended after " + got + " bytes"
                        + (declared.isPresent() ? " but its Content-Length is " + declared.getAsLong() : ""));
            }
            if (t instanceof NumberFormatException nfe) {
                return new Malformed("Malformed chunked request body: "
                        + (nfe.getMessage() != null && nfe.getMessage().contains(";")
                                ? "chunk extensions are not supported"
                                : "a chunk size is not a hexadecimal number"));
            }
        }
        if (e instanceof ServerConnectionException || e instanceof UncheckedIOException || e instanceof IOException) {
            // the socket failed: nobody is left to answer
            return new CloseConnectionException("request body could not be read", e);
        }
        if (e instanceof RuntimeException re
                && !(e instanceof IllegalArgumentException || e instanceof IllegalStateException)) {
            return re;
        }
        return new Malformed("Malformed request body: " + e.getMessage());
    }
}
