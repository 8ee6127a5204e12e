package dev.miu.studio.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.Locale;

/**
 * Closes the connection after a request that asked for it with {@code Connection: close}, and after a request body
 * that was malformed or shorter than its {@code Content-Length} ({@link RequestBody.Malformed}).
 * <p>
 * Helidon answers such a request with {@code Connection: close} but then waits for another request on the same
 * socket (helidon-io/helidon#12324, seen in 4.3.1; its fix is not in 4.5.0), so a client that reads the response to
 * the end of the stream, as HTTP/1.1 allows it to, hangs until its own timeout and the server keeps the socket and its thread.
 * The exception is Helidon's own way for a handler to end a connection: the listener closes it quietly, after the
 * response has been written.
 */
public final class ConnectionCloseFilter implements Filter {

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        if (RequestBody.malformed(req)) {
            // what follows on the connection cannot be trusted to be a request, so it ends after this answer
            throw new CloseConnectionException("malformed request body");
        }
        // only once the response is complete: a handler that left a response unsent has it committed after routing
        if (res.isSent() && asksToClose(req)) {
            throw new CloseConnectionException("the client asked to close the connection");
        }
    }

    private static boolean asksToClose(RoutingRequest req) {
        if (!req.headers().contains(HeaderNames.CONNECTION)) {
            return false;
        }
        for (String value : req.headers().get(HeaderNames.CONNECTION).allValues()) {
            for (String token : value.split(",")) {
                if (token.strip().toLowerCase(Locale.ROOT).equals("close")) {
                    return true;
                }
            }
        }
        return false;
    }
}
