package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.internal.auth.Authenticator;
import dev.fakehomeserver.internal.journal.RequestLog;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * The client-server API's request flow, as the {@link Pipeline} of its steps, outermost first:
 * <ol>
 *   <li>{@link RequestRecorder}: journal every answer (secrets redacted);</li>
 *   <li>{@link Router}: the route and its {@link Call} (404, 405);</li>
 *   <li>{@link ReadBody}: the whole body, without blocking, within the route's limit (413 when too large);
 *       a large body is handled on a worker thread from here on;</li>
 *   <li>{@link Unavailable}: the whole API down for a while (the hosting platform's restart), if so;</li>
 *   <li>{@link AccessTokenAuth}: the requester, from the access token and identity assertion;</li>
 *   <li>{@link InjectFaults}: the test's fault rules (after auth, so rules can name the acting user);</li>
 *   <li>{@link RunEndpoint}: the endpoint family's method, and its answer.</li>
 * </ol>
 * Endpoints throw {@link dev.fakehomeserver.internal.base.MatrixException}; {@link InboundRequest#fail} is the one
 * place that turns exceptions into answers.
 */
public final class ClientApiHandler implements HttpHandler {
    /**
     * The body limit of routes without one of their own: Synapse's largest non-media request, 200 events of
     * 64 KiB ({@code synapse/app/_base.py}, {@code max_request_body_size}). Synapse raises it to the upload limit
     * when it serves media; the fake keeps media to the upload routes, which have their own limit.
     */
    public static final long MAX_JSON_BODY_BYTES = 200L * 64 * 1024;
    private final Router router;
    private final InjectFaults faults;
    private final Unavailable unavailable = new Unavailable();
    private final Pipeline pipeline;

    public ClientApiHandler(RouteTable routes, Authenticator auth, RequestLog journal, LongSupplier nowMillis,
                            ScheduledExecutorService delays) {
        this.router = new Router(routes, Call.EmptyBody.NOT_JSON);
        this.faults = new InjectFaults(delays);
        this.pipeline = new Pipeline("client API", List.of(new RequestRecorder(journal, nowMillis), router,
                new ReadBody(MAX_JSON_BODY_BYTES), unavailable, new AccessTokenAuth(auth), faults, new RunEndpoint()));
    }

    /** Installs the fault rules' decider (null: none). */
    public void faults(FaultHook hook) {
        faults.hook(hook);
    }

    /** Answers every request with the error {@code condition} gives while it gives one (null: serve it). */
    public void unavailableWhen(java.util.function.Supplier<dev.fakehomeserver.internal.base.MatrixException> condition) {
        unavailable.when(condition);
    }

    public RouteTable routes() {
        return router.routes();
    }

    @Override
    public void handleRequest(HttpServerExchange ex) {
        pipeline.handleRequest(ex);
    }
}
