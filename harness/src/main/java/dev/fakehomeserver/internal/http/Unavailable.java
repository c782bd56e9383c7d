package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.internal.base.MatrixException;
import java.util.function.Supplier;

/**
 * Answers every client-server request with the error a condition gives, while it gives one: the hosting platform's
 * restart after its dashboard registers or removes an appservice, when the platform's proxy answers 502 for the
 * homeserver behind it (docs/platform.md). After {@link ReadBody}, so the request is whole and the connection can
 * carry the next one.
 */
final class Unavailable implements Step {
    private volatile Supplier<MatrixException> why = () -> null;

    /** What to answer instead of serving a request, or null to serve it. */
    void when(Supplier<MatrixException> condition) {
        this.why = condition;
    }

    @Override
    public void handle(InboundRequest req, Next next) {
        MatrixException refusal = why.get();
        if (refusal != null) {
            throw refusal;
        }
        next.proceed(req);
    }
}
