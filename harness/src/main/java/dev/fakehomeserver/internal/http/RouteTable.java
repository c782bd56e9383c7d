package dev.fakehomeserver.internal.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable list of routes, indexed by segment count so that a lookup compares only the routes of the path's
 * length (some dozens, each rejected at its first differing literal without allocating) instead of every route.
 */
public final class RouteTable {
    private static final Route[] NONE = new Route[0];
    private final List<Route> routes;
    /** The routes with {@code i} segments at index i, in registration order (the first that matches wins). */
    private final Route[][] bySize;

    /** The result of a lookup: the route and its path parameters, or why nothing matched. */
    public record Match(Route route, Map<String, String> params, boolean methodMismatch) {}

    public RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        // Counted into arrays, not grouped into a map of lists: every server builds its tables at start, and
        // grouping the 600-odd routes was a visible part of a warm start (benchmark figure 2).
        int longest = 0;
        for (Route r : this.routes) {
            longest = Math.max(longest, r.segments().size());
        }
        int[] count = new int[longest + 1];
        for (Route r : this.routes) {
            count[r.segments().size()]++;
        }
        bySize = new Route[longest + 1][];
        for (int i = 0; i <= longest; i++) {
            bySize[i] = count[i] == 0 ? NONE : new Route[count[i]];
            count[i] = 0;
        }
        for (Route r : this.routes) {
            int n = r.segments().size();
            bySize[n][count[n]++] = r;
        }
    }

    public List<Route> routes() {
        return Collections.unmodifiableList(routes);
    }

    public Match lookup(String method, List<String> segments) {
        boolean pathMatched = false;
        for (Route r : segments.size() < bySize.length ? bySize[segments.size()] : NONE) {
            if (r.matches(segments)) {
                if (r.method().equals(method)) {
                    return new Match(r, r.params(segments), false);
                }
                pathMatched = true;
            }
        }
        return new Match(null, Map.of(), pathMatched);
    }

    /** Collects routes; {@link #client} registers a path under both {@code /v3} and {@code /r0}. */
    public static final class Builder {
        /** The prefixes a client path is registered under ({@link #client}, {@link #clientV1}...), in that order. */
        private static final String[] CLIENT_PREFIXES = {"/_matrix/client/v3", "/_matrix/client/r0",
                "/_matrix/client/unstable", "/_matrix/client/api/v1"};
        /**
         * A client path's templates under each prefix, made once per JVM. Concatenating them anew at every start
         * made 600-odd strings whose hash {@link Route} then computed to find its parsed template: a visible part
         * of a warm start (figure 2). The same string instances each time keep their hash, and the paths are
         * literals in our code, so the map holds a fixed few hundred entries.
         */
        private static final ConcurrentHashMap<String, String[]> PREFIXED = new ConcurrentHashMap<>();
        private final List<Route> routes = new ArrayList<>();

        private static String[] prefixed(String path) {
            String[] t = PREFIXED.get(path);
            if (t == null) {
                t = PREFIXED.computeIfAbsent(path, p -> {
                    String[] out = new String[CLIENT_PREFIXES.length];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = CLIENT_PREFIXES[i] + p;
                    }
                    return out;
                });
            }
            return t;
        }

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
            String[] t = prefixed(path);
            add(method, t[0], auth, limit, endpoint);
            add(method, t[1], auth, limit, endpoint);
            return this;
        }

        /** A route Synapse registers with plain {@code client_patterns}: {@code /v3}, {@code /r0}, {@code /unstable}. */
        public Builder clientWithUnstable(String method, String path, AuthMode auth, Endpoint endpoint) {
            client(method, path, auth, endpoint);
            add(method, prefixed(path)[2], auth, endpoint);
            return this;
        }

        /**
         * A route Synapse registers with {@code client_patterns(..., v1=True)}: under {@code /v3} and {@code /r0}
         * as {@link #client} does, and under {@code /api/v1} and {@code /unstable} too.
         */
        public Builder clientV1(String method, String path, AuthMode auth, Endpoint endpoint) {
            clientWithUnstable(method, path, auth, endpoint);
            add(method, prefixed(path)[3], auth, endpoint);
            return this;
        }

        public RouteTable build() {
            return new RouteTable(routes);
        }
    }
}
