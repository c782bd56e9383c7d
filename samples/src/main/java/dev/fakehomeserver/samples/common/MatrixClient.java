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
 * Plain {@code java.net.http}: the samples use no Matrix SDK, so every request is visible here.
 */
public final class MatrixClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String homeserverUrl;
    private final String asToken;

    public MatrixClient(String homeserverUrl, String asToken) {
        this.homeserverUrl = homeserverUrl;
        this.asToken = asToken;
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
            HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + asToken)
                    .header("Content-Type", "application/json")
                    .method(method, pub)
                    .build();
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
            return new Answer(r.statusCode(), json);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
