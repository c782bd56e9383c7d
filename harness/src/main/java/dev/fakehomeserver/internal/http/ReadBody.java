package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.internal.base.MatrixException;
import java.io.ByteArrayOutputStream;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.xnio.channels.ReadTimeoutException;

/**
 * Reads the whole body without blocking the IO thread, within the route's limit ({@link Route#bodyLimit}, or
 * the API's default), then passes the request on.
 *
 * <p>Bounded work on the IO thread (issue 17, item 3): a body above {@link #INLINE_BYTES} is handed to a worker
 * thread before anything parses it, so a client sending a large JSON body never holds up the small requests of
 * everyone else; small bodies, nearly every request, stay on the IO thread, where they cost microseconds.
 *
 * <p>A body that cannot be read gets a Matrix error whichever framing it came in (item 10): above the limit 413
 * {@code M_TOO_LARGE}, Content-Length or chunked alike (the body is counted here: Undertow's own count closes
 * a chunked connection unanswered). Past the limit up to {@link #DRAIN_BYTES} of the rest is read and thrown
 * away, so that a client that reads only after it has sent everything still finds the answer: a body of
 * declared length is answered once it has all arrived (answering first let the connection close under a client
 * still sending), a chunked one at once, while it keeps being drained; beyond the budget the connection closes. A body that stopped arriving (408) or is malformed (400) is
 * answered if the connection is still open, and the connection closed: broken chunk framing (a size {@code zz},
 * data not followed by CRLF) gets 400 {@code M_UNKNOWN} saying what was wrong, from the strict decoder the
 * server puts in place of Undertow's. Synapse aborts the connection above its request size and answers a bare
 * 400 (no body) to a malformed chunk; the fake says what it refused.
 */
public final class ReadBody implements Step {
    /** Bodies up to this size are read and handled on the IO thread (an event's content fits). */
    public static final int INLINE_BYTES = 64 * 1024;
    /** After a 413 the rest of the body is read and thrown away, up to this much; beyond, the connection closes. */
    static final long DRAIN_BYTES = 16L * 1024 * 1024;
    private final long defaultMaxBytes;

    /** @param defaultMaxBytes the limit of routes without one of their own */
    public ReadBody(long defaultMaxBytes) {
        this.defaultMaxBytes = defaultMaxBytes;
    }

    @Override
    public void handle(InboundRequest req, Next next) {
        HttpServerExchange http = req.http();
        BodyLimit own = req.route().bodyLimit();
        long limit = own != null ? own.bytes() : defaultMaxBytes;
        String refusal = own != null ? own.refusal() : "Request body too large";
        long declared = http.getRequestContentLength();
        if (declared > limit + DRAIN_BYTES) {
            // Too much to read even to throw away: refused at once, and the connection closed after the answer.
            http.getResponseHeaders().put(Headers.CONNECTION, "close");
            req.fail(tooLarge(refusal, limit));
            return;
        }
        // Counted here, not by Undertow: at its limit it closes the connection, unanswered for a chunked body.
        http.setMaxEntitySize(0);
        Counted body = new Counted(limit);
        http.getRequestReceiver().receivePartialBytes((ex, bytes, last) -> {
            if (body.answered) {
                // Refused and answered: the rest is read and thrown away, so that a client that reads only once it
                // has sent everything finds the 413 rather than a reset connection; past the budget, closed.
                if (!body.drain(bytes)) {
                    closeQuietly(ex);
                }
            } else if (body.refused) {
                // A body of declared length past its limit: read and thrown away first, answered once the client
                // has sent it all. Answering at once let Undertow close the connection while the client was still
                // sending, and the JDK's HttpClient, which reads only after it has sent everything, then saw a
                // reset instead of the 413 (27 of 200 POSTs of 10 MB to a 64 KiB route, 0 of 200 now).
                if (!body.drain(bytes) || last) {
                    refuse(req, body, refusal, limit);
                }
            } else if (!body.add(bytes)) {
                body.refused = true;
                // A chunked body has no end in sight: answered at once, then drained while it keeps coming.
                if (last || declared < 0) {
                    refuse(req, body, refusal, limit);
                }
            } else if (last) {
                proceed(req, body.bytes(), next);
            }
        }, (ex, err) -> {
            if (body.refused && !body.answered && ex.getConnection().isOpen() && !ex.isResponseStarted()) {
                refuse(req, body, refusal, limit); // stopped arriving after its limit: what it was refused for
            } else {
                unreadable(req, err);
            }
        });
    }

    private static void refuse(InboundRequest req, Counted body, String refusal, long limit) {
        body.answered = true;
        req.http().getResponseHeaders().put(Headers.CONNECTION, "close");
        req.fail(tooLarge(refusal, limit));
    }

    private static void closeQuietly(HttpServerExchange ex) {
        try {
            ex.getConnection().close();
        } catch (java.io.IOException e) {
            // closed already
        }
    }

    /** A body as it arrives: kept up to the limit; once refused, counted and dropped up to {@link #DRAIN_BYTES}. */
    private static final class Counted {
        private final long limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long total;
        private long drained;
        /** Past the limit: what follows is counted and dropped. */
        boolean refused;
        /** The 413 went out. */
        boolean answered;

        Counted(long limit) {
            this.limit = limit;
        }

        /** Takes the next piece; false once the body is past its limit. */
        boolean add(byte[] piece) {
            total += piece.length;
            if (total > limit) {
                return false;
            }
            kept.write(piece, 0, piece.length);
            return true;
        }

        /** Drops a piece of a refused body; false once more than {@link #DRAIN_BYTES} were dropped. */
        boolean drain(byte[] piece) {
            drained += piece.length;
            return drained <= DRAIN_BYTES;
        }

        byte[] bytes() {
            return kept.toByteArray();
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

    private static MatrixException tooLarge(String refusal, long limit) {
        return MatrixException.tooLarge(refusal + ": this endpoint reads at most " + limit + " bytes");
    }

    private static void unreadable(InboundRequest req, Throwable err) {
        HttpServerExchange ex = req.http();
        if (!ex.getConnection().isOpen() || ex.isResponseStarted()) {
            // The client went away or the read timeout closed the connection: nobody to answer. The journal records status 0, the request log "closed without an answer".
            req.drop("unreadable body: " + err.getMessage());
            return;
        }
        ex.getResponseHeaders().put(Headers.CONNECTION, "close");
        if (causedBy(err, ReadTimeoutException.class)) {
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
