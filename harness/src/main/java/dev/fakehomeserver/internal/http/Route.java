package dev.fakehomeserver.internal.http;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One row of a route table: method, path template (segments; {@code {name}} captures one decoded segment),
 * whether it needs a token, the largest body it reads, and its handler.
 */
public final class Route {
    private final String method;
    private final String template;
    private final AuthMode auth;
    private final Endpoint endpoint;
    private final List<String> segments;
    private final BodyLimit bodyLimit;
    private static final ConcurrentHashMap<String, List<String>> SEGMENTS = new ConcurrentHashMap<>();

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
        this.segments = SEGMENTS.computeIfAbsent(template,
                t -> PathTemplate.split(t).stream().map(String::intern).toList());
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
