package dev.fakehomeserver.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.testing.ScriptedAppservice;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What the fake pushes to an appservice, field by field against what Synapse 1.94 pushed for the same scene.
 *
 * <p>{@code pushes/scene.json} (an invite and a join of a ghost, a topic and its replacement, a message, its edit
 * and its redaction, a ghost's message, typing, a receipt, presence, an alias query, a leave) was run with
 * {@code converse.py} against a Synapse whose registration ({@code de.sorunome.msc2409.push_ephemeral: true};
 * 1.94 ignores the stable {@code receive_ephemeral}, which the fake honours as current Synapse does) pointed at a
 * recording appservice; {@code pushes/synapse-1.94-pushes.jsonl} is every request it received. Here the same
 * scene runs against the fake with a {@link ScriptedAppservice} on the registration's url, and both sides are
 * normalised the same way: ids become their sigil, the run's random suffix disappears, times become 0. Then:
 *
 * <ul>
 *   <li>the pushed events, in order, must be equal: the same top-level keys (so {@code replaces_state},
 *       {@code prev_content}, {@code invite_room_state}, {@code user_id}, {@code age} at the top level), the
 *       same {@code unsigned} keys, and the same normalised values;
 *   <li>the transactions' top-level keys must be the same;
 *   <li>the kinds of ephemeral data (EDU types and the sigil of their sender) must be the same: typing, the
 *       receipt and presence, which Synapse 1.94 pushes to an appservice that answers each transaction with a
 *       complete 200 (an earlier recording whose appservice sent no Content-Length sent Synapse into retries,
 *       which carry no ephemeral data, and showed presence only); which presence states Synapse batched
 *       depends on timing, so only the kinds are compared;
 *   <li>the other requests (the alias query) must be the same: method, path, query keys, Authorization.
 * </ul>
 */
class RecordedPushesTest {
    private static final Set<String> TIMES = Set.of("age", "origin_server_ts", "last_active_ago", "ts");

    @Test
    void pushes_the_events_synapse_pushed_key_by_key_and_value_by_value() throws Exception {
        Path dir = Path.of(Objects.requireNonNull(getClass().getResource("/pushes/scene.json")).toURI()).getParent();
        List<JsonNode> synapse = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("synapse-1.94-pushes.jsonl"))) {
            if (!line.isBlank()) {
                synapse.add(Conversation.JSON.readTree(line));
            }
        }
        List<JsonNode> wantEvents = events(synapse);
        List<JsonNode> fake = new ArrayList<>();
        try (ScriptedAppservice as = ScriptedAppservice.start();
             Homeserver hs = Homeserver.builder().registration(Registration.fromPath(
                     dir.getParent().resolve("conversations/weather.yaml")).toBuilder().url(as.url())
                     .msc2409PushEphemeral(true).build()).start()) {
            new Conversation(hs.url(), Conversation.DEFAULT_AS_TOKEN).run(Conversation.readSteps(dir.resolve("scene.json")));
            await().atMost(Duration.ofSeconds(10)).until(() -> events(recorded(as)).size() >= wantEvents.size());
            fake.addAll(recorded(as));
        }
        List<JsonNode> gotEvents = events(fake);
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < Math.max(wantEvents.size(), gotEvents.size()); i++) {
            JsonNode want = i < wantEvents.size() ? wantEvents.get(i) : null;
            JsonNode got = i < gotEvents.size() ? gotEvents.get(i) : null;
            if (!Objects.equals(want, got)) {
                differences.add("event " + i + ":\n  synapse " + want + "\n  fake    " + got);
            }
        }
        assertThat(differences).as("pushed events that differ from Synapse's").isEmpty();
        assertThat(keys(fake, "transaction")).as("transaction keys").isEqualTo(keys(synapse, "transaction"));
        assertThat(keys(fake, "ephemeral")).as("kinds of ephemeral data").isEqualTo(keys(synapse, "ephemeral"));
        assertThat(keys(fake, "query")).as("queries").isEqualTo(keys(synapse, "query"));
    }

    /** The fake's requests in the recorder's shape: method, path, query keys, auth scheme, body. */
    private static List<JsonNode> recorded(ScriptedAppservice as) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (ScriptedAppservice.Req r : as.requests()) {
            ObjectNode o = Conversation.JSON.createObjectNode();
            o.put("method", r.method());
            o.put("path", r.path());
            ArrayNode q = o.putArray("query");
            new TreeSet<>(queryKeys(r.query())).forEach(q::add);
            String auth = r.header("Authorization");
            o.put("auth", auth == null ? "" : auth.substring(0, Math.min(7, auth.length())));
            o.set("body", r.body().isEmpty() ? null : Conversation.JSON.readTree(r.body()));
            out.add(o);
        }
        return out;
    }

    private static List<String> queryKeys(String query) {
        List<String> keys = new ArrayList<>();
        for (String part : query.split("&")) {
            if (!part.isEmpty()) {
                keys.add(URLDecoder.decode(part.split("=", 2)[0], StandardCharsets.UTF_8));
            }
        }
        return keys;
    }

    private static List<JsonNode> events(List<JsonNode> requests) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : requests) {
            for (JsonNode e : r.path("body").path("events")) {
                out.add(normalise(e, null));
            }
        }
        return out;
    }

    /** Sorted descriptions of one aspect of the requests, normalised. */
    private static Set<String> keys(List<JsonNode> requests, String aspect) {
        Set<String> out = new TreeSet<>();
        for (JsonNode r : requests) {
            JsonNode body = r.path("body");
            boolean txn = r.path("path").asText().startsWith("/_matrix/app/v1/transactions/");
            switch (aspect) {
                case "transaction" -> {
                    if (txn) {
                        body.fieldNames().forEachRemaining(out::add);
                    }
                }
                case "ephemeral" -> {
                    for (String key : new String[] {"ephemeral", "de.sorunome.msc2409.ephemeral"}) {
                        for (JsonNode edu : body.path(key)) {
                            out.add(key + ": " + edu.path("type").asText() + " from "
                                    + normalise(edu.path("sender"), null).asText());
                        }
                    }
                }
                default -> {
                    if (!txn) {
                        out.add(r.path("method").asText() + " " + normalise(TextNode.valueOf(
                                r.path("path").asText()), null).asText() + " " + r.path("query") + " "
                                + r.path("auth").asText());
                    }
                }
            }
        }
        return out;
    }

    /** Ids to their sigil, 7-digit run suffixes to N, times to 0; keys and structure kept. */
    static JsonNode normalise(JsonNode n, String key) {
        if (n.isObject()) {
            ObjectNode o = Conversation.JSON.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                o.set(normaliseText(e.getKey()), normalise(e.getValue(), e.getKey()));
            }
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = Conversation.JSON.createArrayNode();
            n.forEach(x -> a.add(normalise(x, key)));
            return a;
        }
        if (n.isNumber() && TIMES.contains(key)) {
            return Conversation.JSON.getNodeFactory().numberNode(0);
        }
        return n.isTextual() ? TextNode.valueOf(normaliseText(n.asText())) : n;
    }

    private static String normaliseText(String s) {
        if (!s.isEmpty() && "$!@#".indexOf(s.charAt(0)) >= 0 && s.length() > 1) {
            return s.substring(0, 1);
        }
        return s.replaceAll("\\d{7}(?!\\d)", "N").replaceAll("%23[^/]*", "%23ALIAS");
    }
}
