package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.ClientApiHandler;
import dev.fakehomeserver.internal.http.InboundRequest;
import dev.fakehomeserver.internal.http.Pipeline;
import dev.fakehomeserver.internal.http.ReadBody;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.http.Router;
import dev.fakehomeserver.internal.http.RunEndpoint;
import dev.fakehomeserver.internal.http.Step;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Predicate;

/**
 * The request flow of the control API under {@code /_fakehs/v1/}: its guard against other sites' pages
 * ({@link ControlRequestGuard}), then the client API's {@link Pipeline} steps (read the body, route, run the
 * endpoint) with its own auth step, the control token. Errors are answered by the same code as the client
 * API's, so a test reads both APIs the same way.
 *
 * <p>Unlike the client API it is not journaled and takes no faults: the journal shows what the appservice did,
 * not what the test did to set the scene.
 */
public final class ControlApiHandler implements HttpHandler {
    /** Every control path starts with this; Matrix paths start with {@code /_matrix}, so they cannot clash. */
    public static final String PREFIX = "/_fakehs/";

    private final Router router;
    private final Pipeline pipeline;

    /**
     * @param routes the control route table ({@link ControlApiRoutes})
     * @param boundHost the address the server listens on, which a request's {@code Host} may name
     * @param tokenOrNull the bearer token every protected route requires, or null to require none
     * @param alsoAccepted other bearer credentials that pass as the token (the console's login sessions)
     */
    public ControlApiHandler(RouteTable routes, String boundHost, String tokenOrNull, Predicate<byte[]> alsoAccepted) {
        this.router = new Router(routes, Call.EmptyBody.EMPTY_OBJECT);
        // Routed before the body is read, so that the route bounds the body (a registration: 64 KiB).
        this.pipeline = new Pipeline("control API", List.of(new ControlRequestGuard(boundHost, tokenOrNull != null),
                router, new ReadBody(ClientApiHandler.MAX_JSON_BODY_BYTES), new ControlTokenAuth(tokenOrNull, alsoAccepted),
                new RunEndpoint()));
    }

    public RouteTable routes() {
        return router.routes();
    }

    @Override
    public void handleRequest(HttpServerExchange ex) {
        pipeline.handleRequest(ex);
    }

    /** The control API's auth step. Only the header: a token in the query string would end up in logs and shell history. */
    private static final class ControlTokenAuth implements Step {
        private final byte[] token;
        private final Predicate<byte[]> alsoAccepted;

        ControlTokenAuth(String tokenOrNull, Predicate<byte[]> alsoAccepted) {
            this.token = tokenOrNull == null ? null : tokenOrNull.getBytes(StandardCharsets.UTF_8);
            this.alsoAccepted = alsoAccepted;
        }

        @Override
        public void handle(InboundRequest req, Next next) {
            if (token != null && req.route().auth() != AuthMode.NONE) {
                List<String> authorization = req.call().headers("authorization");
                if (authorization.isEmpty()) {
                    throw MatrixException.missingToken(
                            "The control API needs 'Authorization: Bearer <control token>'");
                }
                String h = authorization.get(0);
                byte[] given = h.startsWith("Bearer ") ? h.substring(7).getBytes(StandardCharsets.UTF_8) : new byte[0];
                if (!MessageDigest.isEqual(given, token) && !alsoAccepted.test(given)) {
                    throw new MatrixException(401, "M_UNKNOWN_TOKEN", "Wrong control token");
                }
            }
            next.proceed(req);
        }
    }
}
