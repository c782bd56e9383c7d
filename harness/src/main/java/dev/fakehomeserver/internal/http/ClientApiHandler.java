package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.auth.Authenticator;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.journal.Journal;
import dev.fakehomeserver.journal.RecordedRequest;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The request flow of the client-server API, one step after the other: read the body without blocking, route,
 * faults, authenticate, run the endpoint, answer, journal. Errors are written only through
 * {@link ErrorResponses} (shared with the control API): endpoints throw {@link MatrixException}; anything else is
 * a 500 {@code M_UNKNOWN} (a bug in the fake) that is logged and journaled.
 */
public final class ClientApiHandler implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(ClientApiHandler.class.getName());
    private static final int MAX_JOURNAL_BODY = 16 * 1024;
    /** Top-level body fields the journal masks, in requests and answers alike. */
    private static final List<String> SECRET_FIELDS = List.of("password", "new_password", "access_token",
            "refresh_token");

    private final RouteTable routes;
    private final Authenticator auth;
    private final Journal journal;
    private final LongSupplier nowMillis;
    private volatile FaultHook faults = FaultHook.NONE;
    private final java.util.concurrent.ScheduledExecutorService delays;

    public ClientApiHandler(RouteTable routes, Authenticator auth, Journal journal, LongSupplier nowMillis,
                            java.util.concurrent.ScheduledExecutorService delays) {
        this.routes = routes;
        this.auth = auth;
        this.journal = journal;
        this.nowMillis = nowMillis;
        this.delays = delays;
    }

    public void faults(FaultHook hook) {
        this.faults = hook == null ? FaultHook.NONE : hook;
    }

    public RouteTable routes() {
        return routes;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) {
        ex.getRequestReceiver().receiveFullBytes(this::process, (e, err) -> {
            if (err instanceof RequestTooBigException) {
                respondError(e, null, null, MatrixException.tooLarge("Request body too large"));
            } else {
                e.endExchange();
            }
        });
    }

    private void process(HttpServerExchange ex, byte[] body) {
        String method = ex.getRequestMethod().toString();
        String rawPath = ex.getRequestURI();
        Call call = null;
        try {
            RouteTable.Match match = routes.lookup(method, PathTemplate.splitDecoded(rawPath));
            if (match.route() == null) {
                throw match.methodMismatch() ? MatrixException.methodNotAllowed() : MatrixException.unrecognized();
            }
            Map<String, List<String>> headers = new HashMap<>();
            for (HeaderValues hv : ex.getRequestHeaders()) {
                headers.put(hv.getHeaderName().toString().toLowerCase(java.util.Locale.ROOT), List.copyOf(hv));
            }
            call = new Call(method, rawPath, match.params(), PathTemplate.parseQuery(ex.getQueryString()), headers, body,
                    ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE));
            authenticate(call, match.route().auth());
            FaultHook.Action fault = faults.decide(method, shortPath(rawPath),
                    call.requester() == null ? null : call.requester().userId());
            if (fault instanceof FaultHook.Fail f) {
                throw f.error();
            }
            if (fault instanceof FaultHook.Drop) {
                record(ex, call, 0, null, null, "");
                closeConnection(ex);
                return;
            }
            Route route = match.route();
            Call c = call;
            if (fault instanceof FaultHook.Delay d) {
                ex.dispatch(SameThreadExecutor.INSTANCE, () ->
                        delays.schedule(() -> run(ex, route, c), d.delay().toMillis(), TimeUnit.MILLISECONDS));
                return;
            }
            run(ex, route, call);
        } catch (MatrixException e) {
            respondError(ex, call, body, e);
        } catch (RuntimeException | Error e) {
            bug(ex, call, e);
        }
    }

    private void run(HttpServerExchange ex, Route route, Call call) {
        try {
            Object result = route.endpoint().handle(call);
            if (result instanceof CompletionStage<?> stage) {
                // Without a dispatch Undertow ends the exchange (200, empty body) as soon as the handler returns;
                // dispatching to the same thread marks it as answered later, from whichever thread completes.
                ex.dispatch(SameThreadExecutor.INSTANCE, () -> stage.whenComplete((value, err) -> {
                    if (err == null) {
                        respond(ex, call, value);
                    } else {
                        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                                ? err.getCause() : err;
                        if (cause instanceof MatrixException me) {
                            respondError(ex, call, call.body(), me);
                        } else {
                            bug(ex, call, cause);
                        }
                    }
                }));
            } else {
                respond(ex, call, result);
            }
        } catch (MatrixException e) {
            respondError(ex, call, call.body(), e);
        } catch (Exception | Error e) {
            bug(ex, call, e);
        }
    }

    private void authenticate(Call call, AuthMode mode) {
        if (mode == AuthMode.NONE) {
            return;
        }
        String token = Authenticator.extractToken(call.headers("authorization"), call.queryMap());
        if (token == null && mode == AuthMode.OPTIONAL) {
            return;
        }
        Requester r = auth.authenticate(token, call.queryMap());
        call.requester(r);
    }

    private void respond(HttpServerExchange ex, Call call, Object value) {
        Response r = value instanceof Response resp ? resp : Response.json(200, value == null ? Json.object() : value);
        ex.setStatusCode(r.status());
        r.headers().forEach((k, v) -> ex.getResponseHeaders().put(HttpString.tryFromString(k), v));
        if (r.raw() != null) {
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, r.contentType());
            record(ex, call, r.status(), null, null, "");
            ex.getResponseSender().send(ByteBuffer.wrap(r.raw()));
            return;
        }
        byte[] bytes = Json.bytes(r.json());
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        // Login and register answers carry a fresh access token: the journal keeps them masked.
        record(ex, call, r.status(), null, null, redactBody(bytes));
        ex.getResponseSender().send(ByteBuffer.wrap(bytes));
    }

    private void respondError(HttpServerExchange ex, Call call, byte[] body, MatrixException e) {
        // Journaled before the send completes the exchange, as successful answers are (a test reading the
        // journal right after the response must find the entry).
        recordRaw(ex, call, body, e.status(), e.errcode(), e.error(), truncate(Json.bytes(e.body())));
        ErrorResponses.write(ex, e);
    }

    private void bug(HttpServerExchange ex, Call call, Throwable t) {
        LOG.log(Level.SEVERE, "Bug in fake-homeserver while answering " + ex.getRequestMethod() + " "
                + ex.getRequestURI(), t);
        respondError(ex, call, call == null ? null : call.body(),
                MatrixException.unknown(500, "Internal error in fake-homeserver: " + t));
    }

    private void record(HttpServerExchange ex, Call call, int status, String errcode, String error, String resp) {
        recordRaw(ex, call, call == null ? null : call.body(), status, errcode, error, resp);
    }

    private void recordRaw(HttpServerExchange ex, Call call, byte[] body, int status, String errcode, String error,
                           String resp) {
        Requester r = call == null ? null : call.requester();
        journal.record(new RecordedRequest(journal.nextSeq(), Instant.ofEpochMilli(nowMillis.getAsLong()),
                ex.getRequestMethod().toString(), ex.getRequestURI(), redactQuery(ex.getQueryString()),
                r == null ? null : r.appserviceId(), r == null ? null : r.userId(), r == null ? null : r.deviceId(),
                status, errcode, error, redactBody(body), resp));
    }

    static String redactQuery(String q) {
        if (q == null || q.isEmpty()) {
            return "";
        }
        // Most queries carry no token: skip the regex (compiled once) for them; it was a tenth of a request's cost.
        return q.contains("access_token=") ? ACCESS_TOKEN_PARAM.matcher(q).replaceAll("$1access_token=<redacted>") : q;
    }

    private static final java.util.regex.Pattern ACCESS_TOKEN_PARAM =
            java.util.regex.Pattern.compile("(^|&)access_token=[^&]*");
    private static final byte[] PASSWORD = "password".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACCESS_TOKEN = "access_token".getBytes(StandardCharsets.US_ASCII);

    static String redactBody(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        // Parsing the body a second time is needed only when a key could be "password" or "access_token": the
        // bytes then contain that name, or an escape (a backslash) that could spell it. Otherwise the parse could
        // only end in the same answer as below, so it is skipped (most requests, e.g. every send).
        if (!contains(body, PASSWORD) && !contains(body, ACCESS_TOKEN) && !contains(body, BACKSLASH)) {
            return truncate(body);
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node instanceof ObjectNode o && SECRET_FIELDS.stream().anyMatch(o::has)) {
                ObjectNode copy = o.deepCopy();
                for (String field : SECRET_FIELDS) {
                    if (copy.has(field)) {
                        copy.put(field, "<redacted>");
                    }
                }
                return truncate(Json.bytes(copy));
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: keep the text as it came
        }
        return truncate(body);
    }

    private static final byte[] BACKSLASH = {'\\'};

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String truncate(byte[] bytes) {
        int n = Math.min(bytes.length, MAX_JOURNAL_BODY);
        String s = new String(bytes, 0, n, StandardCharsets.UTF_8);
        return bytes.length > n ? s + "...(" + bytes.length + " bytes)" : s;
    }

    private static String shortPath(String rawPath) {
        int i = rawPath.indexOf('/', "/_matrix/client/".length());
        return rawPath.startsWith("/_matrix/client/") && i > 0 ? rawPath.substring(i) : rawPath;
    }

    private static void closeConnection(HttpServerExchange ex) {
        try {
            ex.getConnection().close();
        } catch (IOException e) {
            // already closed: nothing to do
        }
    }
}
