package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.internal.base.MatrixException;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.util.List;

/**
 * Finds the route in the API's {@link RouteTable} (404 {@code M_UNRECOGNIZED} for an unknown path, 405 for a
 * known path with another method) and builds the {@link Call} its endpoint will see.
 */
public final class Router implements Step {
    private final RouteTable routes;
    private final Call.EmptyBody emptyBody;

    /** @param emptyBody what an empty body reads as in this API */
    public Router(RouteTable routes, Call.EmptyBody emptyBody) {
        this.routes = routes;
        this.emptyBody = emptyBody;
    }

    public RouteTable routes() {
        return routes;
    }

    @Override
    public void handle(InboundRequest req, Next next) {
        String method = req.method();
        RouteTable.Match match = routes.lookup(method, PathTemplate.splitDecoded(req.rawPath()));
        if (match.route() == null) {
            throw match.methodMismatch() ? MatrixException.methodNotAllowed() : MatrixException.unrecognized();
        }
        HeaderMap requestHeaders = req.http().getRequestHeaders();
        Call.HeaderSource headers = name -> {
            HeaderValues hv = requestHeaders.get(name);
            return hv == null ? List.of() : List.copyOf(hv);
        };
        req.routed(match.route(), new Call(method, req.http().getRequestScheme(), req.rawPath(), match.params(),
                PathTemplate.parseQuery(req.http().getQueryString()), headers, req.body(),
                req.http().getRequestHeaders().getFirst(Headers.CONTENT_TYPE), emptyBody));
        next.proceed(req);
    }
}
