package dev.fakehomeserver.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The step runner of {@code shared/reference/golden/converse.py}, in Java, so the recorded conversation runs as
 * a JUnit test against the in-process fake. Same rules: {@code ${var}} substitution in path, query and body
 * (keys too), captures from top-level answer keys, auth kinds {@code none}, {@code as}, {@code wrong},
 * {@code <name>} (a captured {@code <name>_token}), {@code <name>_query}, {@code as_query} and {@code both}, raw
 * bodies sent as they are. The outcome of a step is its status, errcode and sorted top-level keys (and the
 * answer, for drivers that look deeper: {@link SyncConversationTest}).
 *
 * <p>Two additions converse.py does not have: a capture whose key has dots ({@code
 * "rooms.join.${room}.timeline.prev_batch"}) walks into the answer, with {@code ${var}} substituted in it; and a
 * captured mxc URI {@code mxc://SERVER/ID} also sets {@code ${VAR_server}} and {@code ${VAR_id}}, so a step can
 * download what an earlier one uploaded (recorded with {@code conversations/converse_mxc.py}, which adds the same
 * to converse.py).
 */
final class Conversation {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEFAULT_AS_TOKEN = "as_token_weather_0123456789abcdef0123456789abcdef";
    private static final String MXC = "mxc://";

    /** What a step answered, as converse.py records it, and the answer's JSON (null when it was not JSON). */
    record Outcome(String name, int status, String errcode, List<String> keys, JsonNode body) {}

    /**
     * A recorded row; {@code compare == false} rows are not compared (Synapse 1.94 is older than the target, or
     * answers 500). {@code keys} are the answer's sorted top-level keys, null when the body was not an object.
     */
    record Golden(String name, int status, String errcode, boolean compare, List<String> keys) {}

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String hs;
    private final Map<String, String> env = new HashMap<>();

    Conversation(String hsUrl, String asToken) {
        this.hs = hsUrl.replaceAll("/+$", "");
        env.put("as_token", asToken);
        env.put("s", Integer.toString(ThreadLocalRandom.current().nextInt(1_000_000, 10_000_000)));
    }

    /** The variables captured so far (and {@code as_token}, {@code s}). */
    Map<String, String> env() {
        return java.util.Collections.unmodifiableMap(env);
    }

    static ArrayNode readSteps(Path file) throws IOException {
        return (ArrayNode) JSON.readTree(file.toFile());
    }

    static Map<String, Golden> readGolden(Path file) throws IOException {
        Map<String, Golden> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode g = JSON.readTree(line);
            out.put(g.get("name").asText(), new Golden(g.get("name").asText(), g.get("status").asInt(),
                    g.path("errcode").isNull() ? null : g.path("errcode").asText(null),
                    g.path("compare").asBoolean(true), g.path("keys").isArray()
                            ? JSON.convertValue(g.get("keys"), JSON.getTypeFactory()
                                    .constructCollectionType(List.class, String.class)) : null));
        }
        return out;
    }

    List<Outcome> run(ArrayNode steps) throws IOException, InterruptedException {
        List<Outcome> out = new ArrayList<>();
        for (JsonNode step : steps) {
            out.add(call(step));
        }
        return out;
    }

    Outcome call(JsonNode step) throws IOException, InterruptedException {
        String path = sub(step.get("path").asText());
        Map<String, String> query = new LinkedHashMap<>();
        step.path("query").fields().forEachRemaining(e -> query.put(e.getKey(), sub(e.getValue().asText())));
        Map<String, String> headers = new LinkedHashMap<>();
        String auth = step.path("auth").asText("none");
        String tok = switch (auth) {
            case "as" -> env.get("as_token");
            case "wrong" -> "not-a-real-token";
            default -> env.get(auth + "_token");
        };
        if (auth.endsWith("_query")) {
            query.put("access_token", auth.equals("as_query") ? env.get("as_token")
                    : required(auth.substring(0, auth.length() - 6) + "_token"));
        } else if (auth.equals("both")) {
            headers.put("Authorization", "Bearer " + env.get("as_token"));
            query.put("access_token", env.get("as_token"));
        } else if (tok != null) {
            headers.put("Authorization", "Bearer " + tok);
        }
        StringBuilder url = new StringBuilder(hs).append(path);
        if (!query.isEmpty()) {
            // urllib.parse.urlencode: quote_plus on keys and values, as URLEncoder does.
            url.append('?');
            query.forEach((k, v) -> url.append(url.charAt(url.length() - 1) == '?' ? "" : "&")
                    .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        }
        byte[] data = null;
        if (step.has("raw")) {
            data = sub(step.get("raw").asText()).getBytes(StandardCharsets.UTF_8);
        } else if (step.has("body")) {
            data = JSON.writeValueAsBytes(subNode(step.get("body")));
        }
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(10))
                .method(step.get("method").asText(), data == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(data));
        if (data != null) {
            rb.header("Content-Type", "application/json");
        }
        headers.forEach(rb::header);
        HttpResponse<byte[]> resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode js;
        try {
            js = JSON.readTree(resp.body());
        } catch (IOException e) {
            js = null;
        }
        ObjectNode obj = js instanceof ObjectNode o ? o : null;
        if (obj != null) {
            step.path("capture").fields().forEachRemaining(e -> {
                JsonNode v = obj;
                String key = e.getValue().asText();
                for (String part : key.contains(".") && !key.startsWith("m.") ? sub(key).split("\\.") : new String[] {key}) {
                    v = v == null ? null : v.get(part);
                }
                if (v != null) {
                    String value = v.isTextual() ? v.asText() : v.toString();
                    env.put(e.getKey(), value);
                    mxcParts(e.getKey(), value);
                }
            });
        }
        List<String> keys = null;
        if (obj != null) {
            keys = new ArrayList<>();
            obj.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
        }
        String errcode = obj != null && obj.hasNonNull("errcode") ? obj.get("errcode").asText() : null;
        return new Outcome(step.get("name").asText(), resp.statusCode(), errcode, keys, js);
    }

    /** An mxc URI {@code mxc://SERVER/ID} captured as {@code VAR} sets {@code VAR_server} and {@code VAR_id} too. */
    private void mxcParts(String var, String value) {
        int slash = value.indexOf('/', MXC.length());
        if (value.startsWith(MXC) && slash > 0) {
            env.put(var + "_server", value.substring(MXC.length(), slash));
            env.put(var + "_id", value.substring(slash + 1));
        }
    }

    private String required(String var) {
        String v = env.get(var);
        if (v == null) {
            throw new IllegalStateException("variable " + var + " was never captured");
        }
        return v;
    }

    private String sub(String s) {
        String out = s;
        for (Map.Entry<String, String> e : env.entrySet()) {
            out = out.replace("${" + e.getKey() + "}", e.getValue());
        }
        return out;
    }

    private JsonNode subNode(JsonNode n) {
        if (n.isTextual()) {
            return TextNode.valueOf(sub(n.asText()));
        }
        if (n.isObject()) {
            ObjectNode o = JSON.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                o.set(sub(e.getKey()), subNode(e.getValue()));
            }
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = JSON.createArrayNode();
            n.forEach(x -> a.add(subNode(x)));
            return a;
        }
        return n;
    }
}
