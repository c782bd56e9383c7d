package dev.fakehomeserver.internal.conformance;

import dev.fakehomeserver.conformance.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The kit's own sender, beside the fake's pusher, for what a homeserver's pusher never sends or sends only in
 * circumstances a test cannot provoke: no token, a wrong token, the token in the header only or the query only
 * (the pusher presents it one configured way for the whole server), a txnId sent again after a success (a
 * homeserver does that when the answer was lost), unknown paths, wrong methods, legacy paths, an empty or
 * 100-event transaction, queries about users outside the namespace. Everything a homeserver does send in a test's
 * reach (pushes, retries, user and alias queries, ping, third-party lookups) goes through the pusher instead.
 *
 * <p>The JDK {@link HttpClient}, HTTP/1.1, no redirects; every answer is read up to {@value #MAX_BODY} bytes and
 * recorded as an {@link Exchange}; a request that gets no answer within the timeout is recorded with status 0.
 */
final class RawSender {
    /** The most of an answer that is read: an appservice answering megabytes to a transaction is a failure anyway. */
    static final int MAX_BODY = 64 * 1024;
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

    private final HttpClient http;
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
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    /** Sends one request; {@code body} null sends none. Never throws for what the appservice does. */
    Reply send(String method, String path, Auth auth, String body) {
        boolean inQuery = auth == Auth.QUERY || auth == Auth.BOTH;
        String query = inQuery ? "?access_token=" + hsToken : "";
        String shownQuery = inQuery ? "?access_token=<redacted>" : "";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path + query)).timeout(timeout)
                .header("Accept", "application/json").header("User-Agent", "fake-homeserver-conformance");
        if (auth == Auth.HEADER || auth == Auth.BOTH) {
            b.header("Authorization", "Bearer " + hsToken);
        } else if (auth == Auth.WRONG_HEADER) {
            b.header("Authorization", "Bearer " + wrongToken);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        long start = System.nanoTime();
        int status = 0;
        String answer = "";
        String error = null;
        try {
            HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = r.statusCode();
            try (InputStream in = r.body()) {
                answer = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
            }
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

    static String excerpt(String s) {
        String one = s.replace('\n', ' ').replace('\r', ' ');
        return one.length() <= EXCERPT ? one : one.substring(0, EXCERPT) + "... (" + s.length() + " chars)";
    }
}
