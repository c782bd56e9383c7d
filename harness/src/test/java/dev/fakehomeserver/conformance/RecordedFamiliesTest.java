package dev.fakehomeserver.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conversations of {@code src/test/resources/conversations/<family>/}: each family's {@code steps.json} was
 * recorded against a real Synapse 1.94.0 with {@code converse.py --out} into {@code synapse-1.94.jsonl}, and
 * replays here against a fresh in-process fake with the registration {@code conversations/weather.yaml}.
 *
 * <p>Stricter than {@link RecordedConversationTest}: no ratchet list (every compared step must answer as
 * recorded), and besides status and errcode the answer's top-level keys must match, so an answer of the right
 * status but the wrong shape fails too. Rows recorded with {@code "compare": false} carry a note saying why (a
 * 500 of Synapse 1.94 where the fake answers the 4xx a correct server gives).
 *
 * <p>A family with a {@code family.json} was recorded with more appservices: {@code registrations} (files in the
 * family's directory, registered besides weather.yaml), {@code as} (the id whose as_token the steps' {@code "as"}
 * auth uses) and {@code listener} (the url prefix of the appservice that answered Synapse during the recording;
 * registrations under it are pointed at a {@link RecordingAppservice} here). See conversations/README.md.
 */
class RecordedFamiliesTest {

    static Stream<String> families() throws IOException, URISyntaxException {
        Path root = conversations();
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("steps.json")))
                    .map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void every_step_answers_with_synapses_status_errcode_and_keys(String family) throws Exception {
        Path dir = conversations().resolve(family);
        Map<String, Conversation.Golden> gold = Conversation.readGolden(dir.resolve("synapse-1.94.jsonl"));
        List<Conversation.Outcome> outcomes;
        JsonNode setup = Files.isRegularFile(dir.resolve("family.json"))
                ? Conversation.JSON.readTree(dir.resolve("family.json").toFile()) : Conversation.JSON.createObjectNode();
        try (RecordingAppservice listener = new RecordingAppservice()) {
            dev.fakehomeserver.HomeserverBuilder builder = Homeserver.builder()
                    .registration(Registration.fromPath(conversations().resolve("weather.yaml")));
            String asToken = Conversation.DEFAULT_AS_TOKEN;
            for (JsonNode file : setup.path("registrations")) {
                Registration r = Registration.fromPath(dir.resolve(file.asText()));
                // The recording's listener ran on a fixed port; the replay's runs on an ephemeral one.
                String recorded = setup.path("listener").asText();
                if (!recorded.isEmpty() && r.url() != null && r.url().startsWith(recorded)) {
                    r = r.withUrl(listener.url() + r.url().substring(recorded.length()));
                }
                if (r.id().equals(setup.path("as").asText())) {
                    asToken = r.asToken();
                }
                builder.registration(r);
            }
            try (Homeserver hs = builder.start()) {
                outcomes = new Conversation(hs.url(), asToken).run(Conversation.readSteps(dir.resolve("steps.json")));
            }
        }
        List<String> differences = new ArrayList<>();
        for (Conversation.Outcome o : outcomes) {
            Conversation.Golden g = gold.get(o.name());
            assertThat(g).as("step %s of %s has no recorded answer: record the family again", o.name(), family)
                    .isNotNull();
            // A 5xx is a bug of the fake unless Synapse answered the same (a 502 of an appservice that failed).
            if (o.status() >= 500 && !(g.compare() && g.status() == o.status())) {
                differences.add(o.name() + ": the fake answered " + o.status() + " " + o.errcode());
            }
            if (!g.compare()) {
                continue;
            }
            if (g.status() != o.status() || !Objects.equals(g.errcode(), o.errcode())) {
                differences.add(o.name() + ": want " + g.status() + " " + g.errcode() + ", got " + o.status() + " "
                        + o.errcode());
            } else if (g.keys() != null && !g.keys().equals(o.keys())) {
                differences.add(o.name() + ": want keys " + g.keys() + ", got " + o.keys());
            }
        }
        System.out.println("conversation " + family + ": " + (outcomes.size() - differences.size()) + " of "
                + outcomes.size() + " steps answered as recorded");
        assertThat(outcomes).as("steps run in %s", family).hasSize(gold.size());
        assertThat(differences).as("steps of %s answered unlike Synapse 1.94", family).isEmpty();
    }

    private static Path conversations() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(RecordedFamiliesTest.class.getResource("/conversations/weather.yaml"),
                "conversations/weather.yaml on the test classpath").toURI()).getParent();
    }
}
