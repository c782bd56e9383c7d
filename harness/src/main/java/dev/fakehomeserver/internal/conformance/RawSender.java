package dev.fakehomeserver.internal.conformance;

import dev.fakehomeserver.conformance.Exchange;
import dev.fakehomeserver.internal.push.BoundedExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The kit's own sender, beside the fake's pusher, for what a homeserver's pusher never sends or sends only in
 * circumstances a test cannot provoke: no token, a wrong token, the token in the header only or the query only
 * (the pusher presents it one configured way for the whole server), a txnId sent again after a success (a
 * homeserver does that when the answer was lost), unknown paths, wrong methods, legacy paths, an empty or
 * 100-event transaction, queries about users outside the namespace. Everything a homeserver does send in a test's
 * reach (pushes, retries, user and alias queries, ping, third-party lookups) goes through the pusher instead.
 *
 * <p>Sent the pusher's way ({@link BoundedExchange}): HTTP/1.1, no redirects, one deadline for the whole exchange
 * (the timeout), the answer body read within the pusher's bounds, and the connection closed however the exchange
 * ends; on the JDK's {@code HttpClient}, used before, an appservice answering a garbage status line or oversized
 * headers left a socket open per check. Every answer is recorded as an {@link Exchange}; a request that gets no
 * whole answer within the timeout is recorded with status 0.
 */
final class RawSender {
    private static final int EXCERPT = 300;

    /** How the hs_token is presented. */
    enum Auth {
        NONE("no token"), HEADER("header"), QUERY("query"), WRONG_HEADER("wrong token in header"),
        /** Both, as the fake's pusher presents it by default: for the checks that are not about the token. */
        BOTH("header+query");

        final String label;

        Auth(String label) {
            this.label = label;
        }
    }

    /** An answer: the status (0 when none came), the body (bounded) and the recorded exchange. */
    record Reply(int status, String body, Exchange exchange) {
        boolean is2xx() {
            return status >= 200 && status < 300;
        }
    }

    private final String baseUrl;
    private final String hsToken;
    private final String wrongToken;
    private final Duration timeout;
    private final Consumer<Exchange> record;

    RawSender(String baseUrl, String hsToken, Duration timeout, Consumer<Exchange> record) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.hsToken = hsToken;
        this.wrongToken = "conformance-wrong-" + Long.toHexString(System.nanoTime()) + "-not-" + hsToken.length();
        this.timeout = timeout;
        this.record = record;
    }

    /** Sends one request; {@code body} null sends none. Never throws for what the appservice does. */
    Reply send(String method, String path, Auth auth, String body) {
        boolean inQuery = auth == Auth.QUERY || auth == Auth.BOTH;
        String query = inQuery ? "?access_token=" + hsToken : "";
        String shownQuery = inQuery ? "?access_token=<redacted>" : "";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("User-Agent", "fake-homeserver-conformance");
        if (auth == Auth.HEADER || auth == Auth.BOTH) {
            headers.put("Authorization", "Bearer " + hsToken);
        } else if (auth == Auth.WRONG_HEADER) {
            headers.put("Authorization", "Bearer " + wrongToken);
        }
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        long start = System.nanoTime();
        int status = 0;
        String answer = "";
        String error = null;
        try {
            BoundedExchange.Answer r = BoundedExchange.send(method, URI.create(baseUrl + path + query), headers,
                    bytes(method, body), timeout);
            status = r.status();
            answer = r.body();
        } catch (HttpTimeoutException e) {
            error = "no answer within " + timeout.toMillis() + " ms";
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        Exchange x = new Exchange("kit", method, path + shownQuery, auth.label, excerpt(body == null ? "" : body),
                status, excerpt(answer), Duration.ofNanos(System.nanoTime() - start), error);
        record.accept(x);
        return new Reply(status, answer, x);
    }

    /** As the JDK client sent it: no body, but a {@code Content-Length: 0} on a POST or PUT without one. */
    private static byte[] bytes(String method, String body) {
        if (body != null) {
            return body.getBytes(StandardCharsets.UTF_8);
        }
        return method.equals("POST") || method.equals("PUT") ? new byte[0] : null;
    }

    static String excerpt(String s) {
        String one = s.replace('\n', ' ').replace('\r', ' ');
        return one.length() <= EXCERPT ? one : one.substring(0, EXCERPT) + "... (" + s.length() + " chars)";
    }
}
