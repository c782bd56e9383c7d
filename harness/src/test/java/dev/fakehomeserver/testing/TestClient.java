package dev.fakehomeserver.testing;

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
import java.util.ArrayList;
import java.util.List;

/** A small real HTTP client for tests: requests go over loopback sockets to the fake. */
public final class TestClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public TestClient(String baseUrl) {
        this.base = baseUrl;
    }

    public Request get(String path) { return new Request("GET", path); }
    public Request post(String path) { return new Request("POST", path); }
    public Request put(String path) { return new Request("PUT", path); }
    public Request delete(String path) { return new Request("DELETE", path); }
    public Request method(String method, String path) { return new Request(method, path); }

    /** Percent-encodes one path segment (ids and aliases in paths). */
    public static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** One request being built. */
    public final class Request {
        private final String method;
        private final String path;
        private final List<String> query = new ArrayList<>();
        private final List<String[]> headers = new ArrayList<>();
        private String body;
        private Duration timeout = Duration.ofSeconds(10);

        Request(String method, String path) {
            this.method = method;
            this.path = path;
        }

        /** How long to wait for the answer (10 s unless told): more for a request that waits on the server. */
        public Request timeout(Duration d) {
            this.timeout = d;
            return this;
        }

        public Request token(String token) {
            headers.add(new String[] {"Authorization", "Bearer " + token});
            return this;
        }

        public Request header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        public Request query(String name, String value) {
            query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8));
            return this;
        }

        public Request asUser(String userId) {
            return query("user_id", userId);
        }

        public Request json(String json) {
            this.body = json;
            return this;
        }

        public Request json(Object value) {
            try {
                this.body = MAPPER.writeValueAsString(value);
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
            return this;
        }

        public Reply send() {
            String url = base + path + (query.isEmpty() ? "" : "?" + String.join("&", query));
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
            for (String[] h : headers) {
                b.header(h[0], h[1]);
            }
            HttpRequest.BodyPublisher pub = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body);
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            b.method(method, pub);
            try {
                HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null));
            } catch (IOException e) {
                throw new IllegalStateException(method + " " + url + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A response: status and JSON. */
    public record Reply(int status, byte[] bytes, String retryAfter) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(bytes);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + text(), e);
            }
        }

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public String errcode() {
            JsonNode n = json().get("errcode");
            return n == null ? null : n.asText();
        }

        public String error() {
            JsonNode n = json().get("error");
            return n == null ? null : n.asText();
        }

        public String str(String field) {
            JsonNode n = json().get(field);
            return n == null ? null : n.asText();
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }
}
