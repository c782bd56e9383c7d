package dev.fakehomeserver.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The recorded conversation with Synapse 1.94 ({@code shared/reference/golden}), run against the in-process fake.
 *
 * <p>A ratchet: {@code conformance/known-differences.txt} lists the steps that still differ while other branches
 * add their endpoints. The test fails on a difference the list does not name, and on a listed step that now
 * answers as recorded, so the list can only shrink. Skipped when the shared folder is not beside the clone.
 */
class RecordedConversationTest {

    @Test
    void every_step_answers_as_synapse_did_except_the_known_differences() throws Exception {
        Path golden = locateGolden();
        Assumptions.assumeTrue(golden != null, "shared/reference/golden not found beside the project (or set "
                + "-Dfakehs.golden=DIR): the recorded Synapse conversation cannot run here");
        ArrayNode steps = Conversation.readSteps(golden.resolve("steps.json"));
        Map<String, Conversation.Golden> gold = Conversation.readGolden(golden.resolve("synapse-1.94.jsonl"));
        Set<String> known = knownDifferences();

        List<Conversation.Outcome> outcomes;
        try (Homeserver hs = Homeserver.builder()
                .registration(Registration.fromPath(golden.resolve("weather.yaml")))
                .start()) {
            outcomes = new Conversation(hs.url(), Conversation.DEFAULT_AS_TOKEN).run(steps);
        }

        List<String> unexpected = new ArrayList<>();
        Set<String> differing = new LinkedHashSet<>();
        for (Conversation.Outcome o : outcomes) {
            Conversation.Golden g = gold.get(o.name());
            if (g == null || !g.compare()) {
                continue;
            }
            if (g.status() != o.status() || !java.util.Objects.equals(g.errcode(), o.errcode())) {
                differing.add(o.name());
                if (!known.contains(o.name())) {
                    unexpected.add(o.name() + ": want " + g.status() + " " + g.errcode() + ", got " + o.status()
                            + " " + o.errcode());
                }
            }
        }
        Set<String> nowPassing = new LinkedHashSet<>(known);
        nowPassing.removeAll(differing);
        System.out.println("conformance: " + (outcomes.size() - differing.size()) + " of " + outcomes.size()
                + " steps answered as recorded (" + known.size() + " known differences listed)");

        assertThat(unexpected).as("steps that differ from Synapse and are not in known-differences.txt").isEmpty();
        assertThat(nowPassing).as("steps in known-differences.txt that now answer as recorded: remove them "
                + "from harness/src/test/resources/conformance/known-differences.txt").isEmpty();
    }

    /** {@code -Dfakehs.golden=DIR}, else {@code shared/reference/golden} in the working dir or any parent. */
    static Path locateGolden() {
        String prop = System.getProperty("fakehs.golden");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path g = p.resolve("shared/reference/golden");
            if (Files.isRegularFile(g.resolve("steps.json"))) {
                return g;
            }
        }
        return null;
    }

    /** Step names, one a line; {@code #} starts a comment. */
    static Set<String> knownDifferences() throws IOException {
        Set<String> out = new LinkedHashSet<>();
        try (InputStream in = RecordedConversationTest.class.getResourceAsStream("/conformance/known-differences.txt")) {
            if (in == null) {
                return out;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String name = line.replaceFirst("#.*", "").trim();
                if (!name.isEmpty()) {
                    out.add(name);
                }
            }
        }
        return out;
    }
}
