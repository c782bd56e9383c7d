package dev.fakehomeserver.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.LintFinding;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.RegistrationException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Registrations that used to stop the fake or open it (issue 17, items 4 and 6): a namespace regex with
 * catastrophic backtracking is linted and its matches are bounded; an empty token is refused wherever a
 * registration comes from, naming the field and the line.
 */
class RegistrationHardeningTest {
    private static String yaml(String asToken, String hsToken, String usersRegex) {
        return String.join("\n",
                "id: bridge",
                "url: null",
                "as_token: " + asToken,
                "hs_token: " + hsToken,
                "sender_localpart: bridgebot",
                "namespaces:",
                "  users:",
                "    - exclusive: false",
                "      regex: '" + usersRegex + "'",
                "");
    }

    private static final String GOOD_AS = "as_4f9c2b7e1d8a6035c9e2f1b4a7d03e68";
    private static final String GOOD_HS = "hs_8e1b5c9f2a7d4036e1c8b2f5a9d07c31";

    @Test
    void bounds_matching_of_a_catastrophically_backtracking_regex_and_lints_it() {
        try (Homeserver hs = Homeserver.builder().controlApi("t").start()) {
            Wire.Reply added = Wire.send("POST", hs.url() + "/_fakehs/v1/appservices", "t", "application/yaml",
                    yaml(GOOD_AS, GOOD_HS, "@(.*a){12}x").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(added.status()).as(added.toString()).isEqualTo(200);
            assertThat(hs.lint()).extracting(LintFinding::message)
                    .anySatisfy(m -> assertThat(m).contains("backtracks catastrophically"));

            // Before the fix: 40 'a's take the backtracking engine hours (30 took 8 s), on the IO thread.
            String longId = "a".repeat(40);
            Wire.Reply r = Wire.json("POST", hs.url() + "/_matrix/client/v3/register", null,
                    "{\"username\":\"" + longId + "\",\"password\":\"pw\",\"auth\":{\"type\":\"m.login.dummy\"}}");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            Wire.Reply versions = Wire.send("GET", hs.url() + "/_matrix/client/versions", null, null, null);
            assertThat(versions.status()).isEqualTo(200);
        }
    }

    /**
     * Item 3's acceptance for the hostile regex, by order and not by time: registrations whose ids make
     * {@code @(.*a){12}x} backtrack and ordinary requests are let go at once (one latch), the ordinary ones on
     * connections of their own; every one of them is answered. Small requests are handled on the one IO thread,
     * so before the match budget the first hostile id held it for hours and nothing else was answered at all.
     */
    @Test
    void answers_ordinary_requests_sent_alongside_requests_that_hit_a_hostile_regex() throws Exception {
        try (Homeserver hs = Homeserver.builder().controlApi("t").start()) {
            Wire.Reply added = Wire.send("POST", hs.url() + "/_fakehs/v1/appservices", "t", "application/yaml",
                    yaml(GOOD_AS, GOOD_HS, "@(.*a){12}x").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(added.status()).as(added.toString()).isEqualTo(200);
            var alice = hs.user("@alice:test");
            String room = alice.createRoom();

            int hostile = 4;
            int ordinary = 6;
            CountDownLatch go = new CountDownLatch(1);
            List<String> answered = new CopyOnWriteArrayList<>();
            ExecutorService clients = Executors.newFixedThreadPool(hostile + ordinary);
            List<Future<Wire.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < hostile; i++) {
                String id = "a".repeat(40) + i;
                replies.add(clients.submit(() -> {
                    go.await();
                    Wire.Reply r = Wire.json("POST", hs.url() + "/_matrix/client/v3/register", null,
                            "{\"username\":\"" + id + "\",\"password\":\"pw\",\"auth\":{\"type\":\"m.login.dummy\"}}");
                    answered.add("hostile");
                    return r;
                }));
            }
            for (int i = 0; i < ordinary; i++) {
                String txn = "t" + i;
                boolean versions = i % 2 == 0;
                replies.add(clients.submit(() -> {
                    go.await();
                    Wire.Reply r = versions ? Wire.send("GET", hs.url() + "/_matrix/client/versions", null, null, null)
                            : Wire.json("PUT", hs.url() + "/_matrix/client/v3/rooms/" + room + "/send/m.room.message/"
                            + txn, alice.accessToken(), "{\"msgtype\":\"m.text\",\"body\":\"ordinary\"}");
                    answered.add("ordinary");
                    return r;
                }));
            }
            go.countDown();
            for (Future<Wire.Reply> f : replies) {
                Wire.Reply r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
            }
            clients.shutdown();
            assertThat(answered).as("every request, hostile or not, was answered")
                    .containsOnly("hostile", "ordinary").hasSize(hostile + ordinary);
            // A match that ran out of budget is no match: the ids are ordinary users, outside the namespace.
            assertThat(hs.findUser("@" + "a".repeat(40) + "0:test")).isPresent();
            assertThat(hs.room(room).messages()).filteredOn(e -> "ordinary".equals(e.body()))
                    .hasSize(ordinary / 2);
        }
    }

    @Test
    void refuses_an_empty_as_token_at_load_naming_field_and_line() {
        assertThatThrownBy(() -> Registration.fromYaml(yaml("''", GOOD_HS, "@b_.*:test"), "reg.yaml"))
                .isInstanceOf(RegistrationException.class)
                .hasMessageContaining("as_token").hasMessageContaining("line 3").hasMessageContaining("empty");
        assertThatThrownBy(() -> Registration.fromYaml(yaml(GOOD_AS, "\"\"", "@b_.*:test"), "reg.yaml"))
                .isInstanceOf(RegistrationException.class)
                .hasMessageContaining("hs_token").hasMessageContaining("line 4");
    }

    @Test
    void refuses_an_empty_token_built_in_code_or_added_at_run_time() {
        Registration empty = Registration.builder("bridge").asToken("").users("@b_.*:test", false).build();
        assertThatThrownBy(() -> Homeserver.builder().registration(empty).start())
                .isInstanceOf(RegistrationException.class).hasMessageContaining("as_token is empty");
        try (Homeserver hs = Homeserver.builder().controlApi("t").start()) {
            Wire.Reply r = Wire.send("POST", hs.url() + "/_fakehs/v1/appservices", "t", "application/yaml",
                    yaml("''", GOOD_HS, "@b_.*:test").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.error()).contains("as_token").contains("empty");
            // Before the fix: loaded, and then a bare ?access_token= acted as @bridgebot:test.
            Wire.Reply whoami = Wire.send("GET", hs.url() + "/_matrix/client/v3/account/whoami?access_token=",
                    null, null, null);
            assertThat(whoami.status()).as(whoami.toString()).isEqualTo(401);
        }
    }

    @Test
    void lints_a_low_entropy_token() {
        Registration weak = Registration.builder("bridge").asToken("ab".repeat(20)).hsToken(GOOD_HS)
                .users("@b_.*:test", false).build();
        try (Homeserver hs = Homeserver.builder().registration(weak).start()) {
            assertThat(hs.lint()).extracting(LintFinding::message)
                    .anySatisfy(m -> assertThat(m).contains("as_token uses only 2 distinct characters"));
            assertThat(hs.lint()).extracting(LintFinding::message).noneMatch(m -> m.contains("abab"));
        }
    }
}
