package dev.fakehomeserver.internal.http.client;

import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Services;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.Map;

/**
 * Third-party network lookups, forwarded to the appservices whose {@code protocols} list names the protocol
 * (spec-digest §2.7). As Synapse: an unknown protocol's metadata is 404 {@code {"error":"Unknown protocol"}}
 * without errcode; user and location lookups always answer 200 with a list; the reverse lookups without a
 * protocol are never forwarded and answer {@code []}.
 */
public final class ThirdPartyEndpoints {
    private final Services s;

    public ThirdPartyEndpoints(Services services) {
        this.s = services;
    }

    public void register(RouteTable.Builder r) {
        // Synapse's pattern for the list has no "$": a trailing slash reaches it too.
        r.clientWithUnstable("GET", "/thirdparty/protocols", AuthMode.REQUIRED, c -> s.calls().thirdPartyProtocols(null));
        r.clientWithUnstable("GET", "/thirdparty/protocols/", AuthMode.REQUIRED, c -> s.calls().thirdPartyProtocols(null));
        // {protocol+}: Synapse's patterns want [^/]+, so an empty protocol matches no route, before any auth.
        r.clientWithUnstable("GET", "/thirdparty/protocol/{protocol+}", AuthMode.REQUIRED, this::protocol);
        r.clientWithUnstable("GET", "/thirdparty/user/{protocol+}", AuthMode.REQUIRED, c -> lookup(c, "user"));
        r.clientWithUnstable("GET", "/thirdparty/location/{protocol+}", AuthMode.REQUIRED, c -> lookup(c, "location"));
        r.clientWithUnstable("GET", "/thirdparty/user", AuthMode.REQUIRED, c -> Json.NODES.arrayNode());
        r.clientWithUnstable("GET", "/thirdparty/location", AuthMode.REQUIRED, c -> Json.NODES.arrayNode());
    }

    private Object protocol(Call c) {
        String p = c.param("protocol");
        return s.calls().thirdPartyProtocols(p).thenApply(all -> {
            if (!all.has(p)) {
                throw new MatrixException(404, null, "Unknown protocol");
            }
            return all.get(p);
        });
    }

    private Object lookup(Call c, String kind) {
        return s.calls().thirdPartyLookup(kind, c.param("protocol"), forwardedQuery(c.queryMap()));
    }

    /** Every client query parameter but {@code access_token}, re-encoded. */
    private static String forwardedQuery(Map<String, Deque<String>> query) {
        StringBuilder sb = new StringBuilder();
        query.forEach((name, values) -> {
            if (name.equals("access_token")) {
                return;
            }
            for (String v : values) {
                sb.append(sb.length() == 0 ? "" : "&").append(enc(name)).append('=').append(enc(v));
            }
        });
        return sb.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
