package dev.fakehomeserver.internal.http;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One row of a route table: method, path template (segments; {@code {name}} captures one decoded segment, empty
 * or not, as Synapse's {@code [^/]*}; {@code {name+}} only a segment that is not empty, as {@code [^/]+}, so an
 * empty one matches no route and is 404 {@code M_UNRECOGNIZED} before any token is looked at), whether it needs a
 * token, the largest body it reads, and its handler.
 */
public final class Route {
    private final String method;
    private final String template;
    private final AuthMode auth;
    private final Endpoint endpoint;
    private final List<String> segments;
    /** Bit i set: segment i is a {@code {name+}} capture, which an empty segment does not match. */
    private final long nonEmpty;
    private final BodyLimit bodyLimit;
    private static final ConcurrentHashMap<String, Parsed> PARSED = new ConcurrentHashMap<>();

    /** A template split once: its segments ({@code {name+}} written {@code {name}}) and its non-empty captures. */
    private record Parsed(List<String> segments, long nonEmpty) {
        static Parsed of(String template) {
            List<String> raw = PathTemplate.split(template);
            String[] out = new String[raw.size()];
            long mask = 0;
            for (int i = 0; i < out.length; i++) {
                String seg = raw.get(i);
                if (seg.startsWith("{") && seg.endsWith("+}")) {
                    seg = seg.substring(0, seg.length() - 2) + "}";
                    mask |= 1L << i;
                }
                out[i] = seg.intern();
            }
            return new Parsed(List.of(out), mask);
        }
    }

    public Route(String method, String template, AuthMode auth, Endpoint endpoint) {
        this(method, template, auth, null, endpoint);
    }

    /** @param bodyLimit the largest body {@link ReadBody} reads for this route, null for its API's default */
    public Route(String method, String template, AuthMode auth, BodyLimit bodyLimit, Endpoint endpoint) {
        this.bodyLimit = bodyLimit;
        this.method = method;
        this.template = template;
        this.auth = auth;
        this.endpoint = endpoint;
        // Shared per JVM: every server builds its own table of some 200 routes from the same literals, and the
        // split segments were 400-odd new strings (about 20 KiB) per idle server (benchmark figure 8b) and a
        // split per route at every start (figure 2, warm start). The templates are literals in our code, so the
        // map holds a fixed few hundred entries.
        Parsed parsed = PARSED.get(template);
        if (parsed == null) {
            parsed = PARSED.computeIfAbsent(template, Parsed::of);
        }
        this.segments = parsed.segments();
        this.nonEmpty = parsed.nonEmpty();
    }

    public String method() { return method; }
    public String template() { return template; }
    public AuthMode auth() { return auth; }
    public Endpoint endpoint() { return endpoint; }
    public List<String> segments() { return segments; }
    /** The largest body this route reads, or null for its API's default. */
    public BodyLimit bodyLimit() { return bodyLimit; }

    /** Matches decoded path segments against this template, filling {@code params}. */
    boolean matches(List<String> path, Map<String, String> params) {
        if (segments.size() != path.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            String t = segments.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                if (path.get(i).isEmpty() && (nonEmpty & (1L << i)) != 0) {
                    return false;
                }
                params.put(t.substring(1, t.length() - 1), path.get(i));
            } else if (!t.equals(path.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
