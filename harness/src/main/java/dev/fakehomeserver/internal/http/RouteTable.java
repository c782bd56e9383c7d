package dev.fakehomeserver.internal.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable list of routes, indexed by segment count and first literal segments so that a lookup compares a
 * handful of candidates instead of scanning every route.
 */
public final class RouteTable {
    private final List<Route> routes;
    private final Map<Integer, List<Route>> bySize = new HashMap<>();

    /** The result of a lookup: the route and its path parameters, or why nothing matched. */
    public record Match(Route route, Map<String, String> params, boolean methodMismatch) {}

    public RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        for (Route r : this.routes) {
            bySize.computeIfAbsent(r.segments().size(), k -> new ArrayList<>()).add(r);
        }
    }

    public List<Route> routes() {
        return Collections.unmodifiableList(routes);
    }

    public Match lookup(String method, List<String> segments) {
        boolean pathMatched = false;
        for (Route r : bySize.getOrDefault(segments.size(), List.of())) {
            Map<String, String> params = new LinkedHashMap<>();
            if (r.matches(segments, params)) {
                if (r.method().equals(method)) {
                    return new Match(r, params, false);
                }
                pathMatched = true;
            }
        }
        return new Match(null, Map.of(), pathMatched);
    }

    /** Collects routes; {@link #client} registers a path under both {@code /v3} and {@code /r0}. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        public Builder add(String method, String template, AuthMode auth, Endpoint endpoint) {
            return add(method, template, auth, null, endpoint);
        }

        /** A route with a body limit of its own (an event's content, a media upload). */
        public Builder add(String method, String template, AuthMode auth, BodyLimit limit, Endpoint endpoint) {
            routes.add(new Route(method, template, auth, limit, endpoint));
            return this;
        }

        /** {@code /_matrix/client/v3/...} and {@code /_matrix/client/r0/...}. */
        public Builder client(String method, String path, AuthMode auth, Endpoint endpoint) {
            return client(method, path, auth, null, endpoint);
        }

        /** {@link #client(String, String, AuthMode, Endpoint)} with a body limit of its own. */
        public Builder client(String method, String path, AuthMode auth, BodyLimit limit, Endpoint endpoint) {
            add(method, "/_matrix/client/v3" + path, auth, limit, endpoint);
            add(method, "/_matrix/client/r0" + path, auth, limit, endpoint);
            return this;
        }

        /** A route Synapse registers with plain {@code client_patterns}: {@code /v3}, {@code /r0}, {@code /unstable}. */
        public Builder clientWithUnstable(String method, String path, AuthMode auth, Endpoint endpoint) {
            client(method, path, auth, endpoint);
            add(method, "/_matrix/client/unstable" + path, auth, endpoint);
            return this;
        }

        /**
         * A route Synapse registers with {@code client_patterns(..., v1=True)}: under {@code /v3} and {@code /r0}
         * as {@link #client} does, and under {@code /api/v1} and {@code /unstable} too.
         */
        public Builder clientV1(String method, String path, AuthMode auth, Endpoint endpoint) {
            clientWithUnstable(method, path, auth, endpoint);
            add(method, "/_matrix/client/api/v1" + path, auth, endpoint);
            return this;
        }

        public RouteTable build() {
            return new RouteTable(routes);
        }
    }
}
