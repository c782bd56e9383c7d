package dev.fakehomeserver.samples.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The few client-server calls a sample appservice makes, with its as_token and {@code ?user_id=} masquerading.
 * Plain {@code java.net.http}: the samples use no Matrix SDK, so every request is visible here. The tests use it
 * too, with a user's access token (or none) to act as an ordinary client.
 *
 * <pre>{@code
 * MatrixClient weather = new MatrixClient(hs.url(), asToken);
 * weather.call("PUT", "/_matrix/client/v3/profile/@weather_paris:test/displayname", "@weather_paris:test",
 *         Map.of("displayname", "Weather Paris"));
 * }</pre>
 */
public final class MatrixClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String homeserverUrl;
    private final String accessToken;

    /** A client sending {@code accessToken} (an as_token, a user's token, or null for none). */
    public MatrixClient(String homeserverUrl, String accessToken) {
        this.homeserverUrl = homeserverUrl;
        this.accessToken = accessToken;
    }

    /** A homeserver answer: status and JSON body. */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status / 100 == 2;
        }

        public String errcode() {
            return body.path("errcode").asText(null);
        }
    }

    /** Thrown when the homeserver refuses a call the sample cannot recover from. */
    public static final class MatrixCallException extends RuntimeException {
        public final Answer answer;

        public MatrixCallException(String what, Answer answer) {
            super(what + " failed: " + answer.status() + " " + answer.body());
            this.answer = answer;
        }
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Calls {@code method path} as {@code userId} (null: the appservice's bot) with an optional JSON body. */
    public Answer call(String method, String path, String userId, Object body) {
        String url = homeserverUrl + path + (userId == null ? "" : (path.contains("?") ? "&" : "?") + "user_id=" + enc(userId));
        try {
            HttpRequest.BodyPublisher pub = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .method(method, pub);
            HttpResponse<byte[]> r = http.send(authorised(req), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
            return new Answer(r.statusCode(), json);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Like {@link #call}, but a 429 {@code M_LIMIT_EXCEEDED} is retried after the {@code retry_after_ms} the
     * homeserver asked for, at most {@code attempts} times: what a well-behaved appservice does.
     */
    public Answer callRespectingRateLimits(String method, String path, String userId, Object body, int attempts) {
        Answer a = call(method, path, userId, body);
        for (int i = 1; i < attempts && a.status() == 429; i++) {
            long wait = Math.min(a.body().path("retry_after_ms").asLong(1000), 10_000);
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return a;
            }
            a = call(method, path, userId, body);
        }
        return a;
    }

    /** Uploads media as {@code userId}; on success the body's {@code content_uri} is the {@code mxc://} uri. */
    public Answer upload(byte[] bytes, String contentType, String fileName, String userId) {
        String url = homeserverUrl + "/_matrix/media/v3/upload?filename=" + enc(fileName)
                + (userId == null ? "" : "&user_id=" + enc(userId));
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            HttpResponse<byte[]> r = http.send(authorised(req), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException("upload: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Downloads {@code mxc://server/id} through the authenticated media API; null when the homeserver refused. */
    public byte[] download(String mxcUri) {
        String url = homeserverUrl + "/_matrix/client/v1/media/download/" + mxcUri.substring("mxc://".length());
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
            HttpResponse<byte[]> r = http.send(authorised(req), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            throw new IllegalStateException("download: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest authorised(HttpRequest.Builder req) {
        return (accessToken == null ? req : req.header("Authorization", "Bearer " + accessToken)).build();
    }

    /** Like {@link #call} but throws unless the answer is 2xx. */
    public JsonNode require(String what, String method, String path, String userId, Object body) {
        Answer a = call(method, path, userId, body);
        if (!a.ok()) {
            throw new MatrixCallException(what, a);
        }
        return a.body();
    }
}
