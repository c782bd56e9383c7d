package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.internal.base.MatrixException;
import io.undertow.io.Receiver;
import java.io.ByteArrayOutputStream;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import org.xnio.channels.ReadTimeoutException;

/**
 * Reads the whole body without blocking the IO thread, within the route's limit ({@link Route#maxBodyBytes}, or
 * the API's default), then passes the request on.
 *
 * <p>Bounded work on the IO thread (issue 17, item 3): a body above {@link #INLINE_BYTES} is handed to a worker
 * thread before anything parses it, so a client sending a large JSON body never holds up the small requests of
 * everyone else; small bodies, nearly every request, stay on the IO thread, where they cost microseconds.
 *
 * <p>A body that cannot be read gets a Matrix error whichever framing it came in (item 10): above the limit 413
 * {@code M_TOO_LARGE} (Content-Length or chunked alike: Undertow wraps the chunked case in a plain
 * {@code IOException}), a body that stopped arriving 408, a malformed one (a chunk size {@code zz}) 400; the
 * connection is then closed, since the rest of the body cannot be skipped. Synapse aborts the connection above
 * its request size and answers a bare 400 to a malformed chunk; the fake says what it refused.
 */
public final class ReadBody implements Step {
    /** Bodies up to this size are read and handled on the IO thread (an event's content fits). */
    public static final int INLINE_BYTES = 64 * 1024;
    private final long defaultMaxBytes;

    /** @param defaultMaxBytes the limit of routes without one of their own */
    public ReadBody(long defaultMaxBytes) {
        this.defaultMaxBytes = defaultMaxBytes;
    }

    @Override
    public void handle(InboundRequest req, Next next) {
        HttpServerExchange http = req.http();
        long limit = req.route().maxBodyBytes() > 0 ? req.route().maxBodyBytes() : defaultMaxBytes;
        if (http.getRequestHeaders().contains(Headers.TRANSFER_ENCODING)) {
            // Counted here, not by Undertow: its chunked decoder closes the connection unanswered at the limit.
            http.setMaxEntitySize(0);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            http.getRequestReceiver().receivePartialBytes((ex, bytes, last) -> {
                if (got.size() + (long) bytes.length > limit) {
                    ex.getRequestReceiver().pause();
                    ex.getResponseHeaders().put(Headers.CONNECTION, "close");
                    req.fail(tooLarge(limit));
                    return;
                }
                got.write(bytes, 0, bytes.length);
                if (last) {
                    proceed(req, got.toByteArray(), next);
                }
            }, (ex, err) -> unreadable(req, err, limit));
        } else {
            http.setMaxEntitySize(limit);
            http.getRequestReceiver().receiveFullBytes((ex, bytes) -> proceed(req, bytes, next),
                    (ex, err) -> unreadable(req, err, limit));
        }
    }

    private static void proceed(InboundRequest req, byte[] bytes, Next next) {
        req.body(bytes);
        HttpServerExchange ex = req.http();
        if (bytes.length > INLINE_BYTES && ex.isInIoThread()) {
            ex.dispatch(ex.getConnection().getWorker(), () -> next.proceed(req));
        } else {
            next.proceed(req);
        }
    }

    private static MatrixException tooLarge(long limit) {
        return MatrixException.tooLarge("Request body too large: this endpoint reads at most " + limit + " bytes");
    }

    private static void unreadable(InboundRequest req, Throwable err, long limit) {
        HttpServerExchange ex = req.http();
        if (!ex.getConnection().isOpen() || ex.isResponseStarted()) {
            // The client went away, the read timeout closed the connection, or Undertow's chunk decoder did on a
            // malformed chunk (it closes before it reports, so Synapse's bare 400 cannot be given): nobody to
            // answer. The journal records status 0, the request log "closed without an answer".
            req.drop("unreadable body: " + err.getMessage());
            return;
        }
        ex.getResponseHeaders().put(Headers.CONNECTION, "close");
        if (causedBy(err, RequestTooBigException.class) || causedBy(err, Receiver.RequestToLargeException.class)) {
            req.fail(tooLarge(limit));
        } else if (causedBy(err, ReadTimeoutException.class)) {
            req.fail(MatrixException.unknown(408, "The request body stopped arriving before it was complete"));
        } else {
            req.fail(MatrixException.unknown(400, "Malformed request body: " + err.getMessage()));
        }
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
