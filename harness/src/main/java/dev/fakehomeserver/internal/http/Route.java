package dev.fakehomeserver.internal.http;

import java.util.LinkedHashMap;
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
    /** Per segment, the capture's name, or null for a literal segment (shared with every route of the template). */
    private final String[] captures;
    private static final ConcurrentHashMap<String, Parsed> PARSED = new ConcurrentHashMap<>();

    /**
     * A template split once: its segments ({@code {name+}} written {@code {name}}), its non-empty captures, and
     * per segment the capture's name (null for a literal segment), so matching neither re-parses nor allocates.
     */
    private record Parsed(List<String> segments, long nonEmpty, String[] captures) {
        static Parsed of(String template) {
            List<String> raw = PathTemplate.split(template);
            String[] out = new String[raw.size()];
            String[] captures = new String[raw.size()];
            long mask = 0;
            for (int i = 0; i < out.length; i++) {
                String seg = raw.get(i);
                if (seg.startsWith("{") && seg.endsWith("+}")) {
                    seg = seg.substring(0, seg.length() - 2) + "}";
                    mask |= 1L << i;
                }
                out[i] = seg.intern();
                if (seg.startsWith("{") && seg.endsWith("}")) {
                    captures[i] = seg.substring(1, seg.length() - 1).intern();
                }
            }
            return new Parsed(List.of(out), mask, captures);
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
        this.captures = parsed.captures();
    }

    public String method() { return method; }
    public String template() { return template; }
    public AuthMode auth() { return auth; }
    public Endpoint endpoint() { return endpoint; }
    public List<String> segments() { return segments; }
    /** The largest body this route reads, or null for its API's default. */
    public BodyLimit bodyLimit() { return bodyLimit; }

    /**
     * Whether decoded path segments match this template. A lookup tries every route with as many segments
     * (some dozens), so this allocates nothing: the parameters are read by {@link #params} from the one that
     * matched.
     */
    boolean matches(List<String> path) {
        if (captures.length != path.size()) {
            return false;
        }
        for (int i = 0; i < captures.length; i++) {
            if (captures[i] == null) {
                if (!segments.get(i).equals(path.get(i))) {
                    return false;
                }
            } else if ((nonEmpty & (1L << i)) != 0 && path.get(i).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The path parameters of segments this template {@link #matches}, in template order. */
    Map<String, String> params(List<String> path) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < captures.length; i++) {
            if (captures[i] != null) {
                params.put(captures[i], path.get(i));
            }
        }
        return params;
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
