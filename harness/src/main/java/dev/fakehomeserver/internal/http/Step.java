package dev.fakehomeserver.internal.http;

/**
 * One small step of a request {@link Pipeline}: read the body, route, journal, faults, auth, endpoint. A step does
 * its part and passes the request on with {@code next.proceed(req)}, later if it must wait (a body still arriving,
 * an injected delay), or answers and stops. A step that throws needs no handler of its own: the pipeline answers
 * the exception (a {@link dev.fakehomeserver.internal.base.MatrixException} as itself, anything else as a 500).
 */
@FunctionalInterface
public interface Step {
    void handle(InboundRequest req, Next next) throws Exception;

    /** The rest of the pipeline after a step. */
    @FunctionalInterface
    interface Next {
        void proceed(InboundRequest req);
    }
}
