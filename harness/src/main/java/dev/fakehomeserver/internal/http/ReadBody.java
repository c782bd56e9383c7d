package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.internal.base.MatrixException;
import io.undertow.server.RequestTooBigException;

/**
 * Reads the whole body without blocking the IO thread, then passes the request on. A body over the server's
 * limit (Undertow's {@code MAX_ENTITY_SIZE}) is answered 413 {@code M_TOO_LARGE}; a connection lost while
 * reading is simply ended.
 */
public final class ReadBody implements Step {
    @Override
    public void handle(InboundRequest req, Next next) {
        req.http().getRequestReceiver().receiveFullBytes((ex, bytes) -> {
            req.body(bytes);
            next.proceed(req);
        }, (ex, err) -> {
            if (err instanceof RequestTooBigException) {
                req.fail(MatrixException.tooLarge("Request body too large"));
            } else {
                ex.endExchange();
            }
        });
    }
}
