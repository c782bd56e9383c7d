package dev.fakehomeserver.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * A recorded {@code /sync} conversation with Synapse 1.94 ({@code src/test/resources/sync-conversation/}),
 * replayed against the in-process fake and compared deeper than {@link RecordedFamiliesTest} does: status and
 * errcode of every step, and for the steps marked {@code "shape": true} the whole answer, field by field, once
 * {@link SyncShape} has taken out what must differ between two servers (ids, tokens, timestamps).
 *
 * <p>It covers initial and incremental syncs, the timeline limit with {@code limited} and a {@code prev_batch}
 * that {@code /messages} continues from, an invite moving to join, a leave seen once, filters inline and by id
 * and bad ones, {@code full_state}, {@code set_presence}, {@code unsigned.transaction_id} for the sending device
 * (or appservice) only, and a to-device message delivered once.
 *
 * <p>Record again against a Synapse ({@code /work/shared/oracle/synapse}, started with
 * {@code conversations/weather.yaml}): {@code -Dfakehomeserver.recordSync=http://127.0.0.1:PORT}, which writes
 * {@code synapse-1.94.jsonl} in the source tree, then compares the fake with the new recording.
 */
class SyncConversationTest {
    private static final Path SOURCE = Path.of("src/test/resources/sync-conversation/synapse-1.94.jsonl");

    /** A recorded row: status, errcode and, for shape steps, the normalised answer. */
    private record Row(int status, String errcode, boolean compare, JsonNode body) {}

    @Test
    void every_step_answers_as_synapse_1_94_did_and_every_shape_step_with_the_same_body() throws Exception {
        ArrayNode steps = (ArrayNode) Conversation.JSON.readTree(resource("steps.json"));
        String recordAt = System.getProperty("fakehomeserver.recordSync");
        if (recordAt != null && !recordAt.isBlank()) {
            record(recordAt, steps);
        }
        Map<String, Row> gold = golden();
        List<Row> fake;
        try (Homeserver hs = Homeserver.builder().registration(Registration.fromPath(conversations()
                .resolve("weather.yaml"))).start()) {
            fake = run(hs.url(), steps);
        }
        String dump = System.getProperty("fakehomeserver.syncDump");
        if (dump != null && !dump.isBlank()) {
            // The fake's answers as the recording has Synapse's, to diff by eye: -Dfakehomeserver.syncDump=FILE.
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < steps.size(); k++) {
                sb.append(steps.get(k).get("name").asText()).append(' ').append(fake.get(k).status()).append(' ')
                        .append(fake.get(k).body() == null ? "" : Conversation.JSON.writeValueAsString(fake.get(k).body()))
                        .append('\n');
            }
            Files.writeString(Path.of(dump), sb.toString());
        }
        List<String> differences = new ArrayList<>();
        int i = 0;
        int shapes = 0;
        for (JsonNode step : steps) {
            String name = step.get("name").asText();
            Row want = gold.get(name);
            Row got = fake.get(i++);
            assertThat(want).as("step %s has no recorded answer: record again", name).isNotNull();
            if (got.status() >= 500) {
                differences.add(name + ": the fake answered " + got.status() + " " + got.errcode());
            }
            if (!want.compare()) {
                continue;
            }
            if (want.status() != got.status() || !Objects.equals(want.errcode(), got.errcode())) {
                differences.add(name + ": want " + want.status() + " " + want.errcode() + ", got " + got.status()
                        + " " + got.errcode() + " " + got.body());
                continue;
            }
            if (want.body() != null) {
                shapes++;
                SyncShape.diff(want.body(), got.body()).forEach(d -> differences.add(name + " " + d));
            }
        }
        System.out.println("sync conversation: " + steps.size() + " steps, " + shapes + " answers compared field by "
                + "field, " + differences.size() + " differences");
        assertThat(fake).hasSameSizeAs(steps);
        assertThat(differences).as("answers unlike Synapse 1.94's (normalised by SyncShape)").isEmpty();
    }

    /** Runs the steps; a shape step's answer is kept normalised with the variables known right after it. */
    private static List<Row> run(String url, ArrayNode steps) throws IOException, InterruptedException {
        Conversation c = new Conversation(url, Conversation.DEFAULT_AS_TOKEN);
        List<Conversation.Outcome> outcomes = new ArrayList<>();
        for (JsonNode step : steps) {
            outcomes.add(c.call(step));
        }
        // Normalised at the end: a value captured later (an event id) is named wherever it appeared before.
        SyncShape shape = new SyncShape(c.env());
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Conversation.Outcome o = outcomes.get(i);
            boolean keep = steps.get(i).path("shape").asBoolean(false);
            rows.add(new Row(o.status(), o.errcode(), true, keep ? shape.of(o.body()) : null));
        }
        return rows;
    }

    private static void record(String url, ArrayNode steps) throws IOException, InterruptedException {
        List<Row> rows = run(url, steps);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            ObjectNode line = Conversation.JSON.createObjectNode();
            line.put("name", steps.get(i).get("name").asText());
            line.put("status", rows.get(i).status());
            line.put("errcode", rows.get(i).errcode());
            JsonNode note = steps.get(i).get("note");
            if (note != null) {
                line.set("note", note);
            }
            if (steps.get(i).has("compare")) {
                line.set("compare", steps.get(i).get("compare"));
            }
            if (rows.get(i).body() != null) {
                line.set("body", rows.get(i).body());
            }
            sb.append(Conversation.JSON.writeValueAsString(line)).append('\n');
        }
        Files.writeString(SOURCE, sb.toString());
    }

    private static Map<String, Row> golden() throws IOException {
        Map<String, Row> out = new LinkedHashMap<>();
        for (String line : new String(resource("synapse-1.94.jsonl"), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode g = Conversation.JSON.readTree(line);
            out.put(g.get("name").asText(), new Row(g.get("status").asInt(),
                    g.path("errcode").isNull() ? null : g.path("errcode").asText(null),
                    g.path("compare").asBoolean(true), g.get("body")));
        }
        return out;
    }

    private static byte[] resource(String name) throws IOException {
        if (System.getProperty("fakehomeserver.recordSync") != null && name.endsWith(".jsonl")) {
            return Files.readAllBytes(SOURCE);   // just written: the classpath copy is the old one
        }
        try (InputStream in = SyncConversationTest.class.getResourceAsStream("/sync-conversation/" + name)) {
            return Objects.requireNonNull(in, "sync-conversation/" + name + " on the test classpath").readAllBytes();
        }
    }

    private static Path conversations() throws java.net.URISyntaxException {
        return Path.of(Objects.requireNonNull(SyncConversationTest.class.getResource("/conversations/weather.yaml"),
                "conversations/weather.yaml on the test classpath").toURI()).getParent();
    }
}
