package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.ErrorResponses;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.PathTemplate;
import dev.fakehomeserver.internal.http.Response;
import dev.fakehomeserver.internal.http.Route;
import dev.fakehomeserver.internal.http.RouteTable;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The request flow of the control API under {@code /_fakehs/v1/}: read the body, route, check the control token,
 * run the endpoint, answer JSON. Errors are {@link MatrixException}s written by {@link ErrorResponses}, the same
 * code that writes the client API's, so a test reads both APIs the same way.
 *
 * <p>Unlike the client API it is not journaled: the journal shows what the appservice did, not what the test
 * did to set the scene.
 */
public final class ControlApiHandler implements HttpHandler {
    /** Every control path starts with this; Matrix paths start with {@code /_matrix}, so they cannot clash. */
    public static final String PREFIX = "/_fakehs/";
    private static final Logger LOG = Logger.getLogger(ControlApiHandler.class.getName());

    private final RouteTable routes;
    private final byte[] token;
    /** Other bearer credentials worth the token: the console's sessions ({@code ConsoleSessions}). */
    private final Predicate<byte[]> alsoAccepted;

    /**
     * @param routes the control route table ({@link ControlApiRoutes})
     * @param tokenOrNull the bearer token every protected route requires, or null to require none
     */
    public ControlApiHandler(RouteTable routes, String tokenOrNull) {
        this(routes, tokenOrNull, credential -> false);
    }

    /** @param alsoAccepted other bearer credentials that pass as the token (the console's login sessions) */
    public ControlApiHandler(RouteTable routes, String tokenOrNull, Predicate<byte[]> alsoAccepted) {
        this.routes = routes;
        this.token = tokenOrNull == null ? null : tokenOrNull.getBytes(StandardCharsets.UTF_8);
        this.alsoAccepted = alsoAccepted;
    }

    public RouteTable routes() {
        return routes;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) {
        ex.getRequestReceiver().receiveFullBytes(this::process, (e, err) -> {
            if (err instanceof RequestTooBigException) {
                respondError(e, MatrixException.tooLarge("Request body too large"));
            } else {
                e.endExchange();
            }
        });
    }

    private void process(HttpServerExchange ex, byte[] body) {
        try {
            String method = ex.getRequestMethod().toString();
            RouteTable.Match match = routes.lookup(method, PathTemplate.splitDecoded(ex.getRequestURI()));
            if (match.route() == null) {
                throw match.methodMismatch() ? MatrixException.methodNotAllowed() : MatrixException.unrecognized();
            }
            Route route = match.route();
            Map<String, List<String>> headers = new HashMap<>();
            for (HeaderValues hv : ex.getRequestHeaders()) {
                headers.put(hv.getHeaderName().toString().toLowerCase(Locale.ROOT), List.copyOf(hv));
            }
            Call call = new Call(method, ex.getRequestURI(), match.params(),
                    PathTemplate.parseQuery(ex.getQueryString()), headers, body,
                    ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE));
            if (route.auth() != dev.fakehomeserver.internal.http.AuthMode.NONE) {
                checkToken(call.headers("authorization"));
            }
            Object result = route.endpoint().handle(call);
            if (result instanceof CompletionStage<?> stage) {
                // A long poll (the console's GET changes): answered later, from the thread that completes it.
                ex.dispatch(SameThreadExecutor.INSTANCE, () -> stage.whenComplete((value, err) -> {
                    if (err == null) {
                        respond(ex, value);
                    } else {
                        Throwable cause = err.getCause() != null ? err.getCause() : err;
                        respondError(ex, cause instanceof MatrixException m ? m
                                : MatrixException.unknown(500, "Internal error in fake-homeserver: " + cause));
                    }
                }));
                return;
            }
            respond(ex, result);
        } catch (MatrixException e) {
            respondError(ex, e);
        } catch (Exception | Error e) {
            LOG.log(Level.SEVERE, "Bug in fake-homeserver's control API while answering " + ex.getRequestMethod()
                    + " " + ex.getRequestURI(), e);
            respondError(ex, MatrixException.unknown(500, "Internal error in fake-homeserver: " + e));
        }
    }

    /** Only the header: a token in the query string would end up in logs and shell history. */
    private void checkToken(List<String> authorization) {
        if (token == null) {
            return;
        }
        if (authorization.isEmpty()) {
            throw MatrixException.missingToken("The control API needs 'Authorization: Bearer <control token>'");
        }
        String h = authorization.get(0);
        byte[] given = h.startsWith("Bearer ") ? h.substring(7).getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, token) && !alsoAccepted.test(given)) {
            throw new MatrixException(401, "M_UNKNOWN_TOKEN", "Wrong control token");
        }
    }

    private static void respond(HttpServerExchange ex, Object value) {
        Response r = value instanceof Response resp ? resp : Response.json(200, value == null ? Json.object() : value);
        send(ex, r.status(), Json.bytes(r.json()));
    }

    private static void respondError(HttpServerExchange ex, MatrixException e) {
        ErrorResponses.write(ex, e);
    }

    private static void send(HttpServerExchange ex, int status, byte[] bytes) {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseSender().send(ByteBuffer.wrap(bytes));
    }
}
