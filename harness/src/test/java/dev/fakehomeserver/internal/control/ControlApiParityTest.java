package dev.fakehomeserver.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.testing.TestRegistrations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the in-process API does that the control API now does too, over real HTTP: membership operations, invites
 * on room creation, violations, lint, a new push url, and aliases wherever a room id goes.
 */
class ControlApiParityTest {
    private final Homeserver hs = Homeserver.builder().registration(TestRegistrations.weather("http://127.0.0.1:1"))
            .controlApi("t").start();
    private final TestClient c = new TestClient(hs.url());

    @AfterEach
    void stop() {
        hs.close();
    }

    private TestClient.Reply post(String path, Object body) {
        return c.post("/_fakehs/v1" + path).token("t").json(body).send();
    }

    private TestClient.Reply get(String path) {
        return c.get("/_fakehs/v1" + path).token("t").send();
    }

    private static TestClient.Reply ok(TestClient.Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    @Test
    void creates_a_room_with_invitees_who_are_invited_and_not_joined() {
        String room = ok(post("/rooms", Map.of("creator", "@alice:test", "invite", List.of("@bob:test"),
                "is_direct", true, "members", List.of("@carol:test")))).str("room_id");
        assertThat(hs.room(room).membership("@bob:test")).isEqualTo("invite");
        assertThat(hs.room(room).membership("@carol:test")).isEqualTo("join");
        JsonNode invite = hs.room(room).timeline().stream().filter(e -> "@bob:test".equals(e.stateKey()))
                .map(e -> (JsonNode) dev.fakehomeserver.internal.base.Json.MAPPER.valueToTree(e.content()))
                .findFirst().orElseThrow();
        assertThat(invite.path("is_direct").asBoolean()).isTrue();
    }

    @Test
    void invites_joins_leaves_kicks_and_bans_through_their_own_endpoints_naming_the_room_by_alias() {
        ok(post("/rooms", Map.of("creator", "@alice:test", "alias", "lobby")));
        String lobby = "/rooms/" + TestClient.enc("#lobby:test");
        assertThat(ok(post(lobby + "/invite", Map.of("sender", "@alice:test", "user_id", "@bob:test")))
                .str("membership")).isEqualTo("invite");
        TestClient.Reply joined = ok(post(lobby + "/join", Map.of("user_id", "@bob:test")));
        assertThat(joined.str("membership")).isEqualTo("join");
        assertThat(joined.str("room_id")).isEqualTo(hs.room("#lobby:test").roomId());
        assertThat(ok(post(lobby + "/leave", Map.of("user_id", "@bob:test"))).str("membership")).isEqualTo("leave");

        ok(post(lobby + "/invite", Map.of("sender", "@alice:test", "user_id", "@carol:test")));
        ok(post(lobby + "/join", Map.of("user_id", "@carol:test")));
        assertThat(ok(post(lobby + "/kick", Map.of("sender", "@alice:test", "user_id", "@carol:test",
                "reason", "noise"))).str("membership")).isEqualTo("leave");
        assertThat(ok(post(lobby + "/ban", Map.of("sender", "@alice:test", "user_id", "@carol:test")))
                .str("membership")).isEqualTo("ban");
        assertThat(hs.room("#lobby:test").memberships()).containsEntry("@carol:test", "ban")
                .containsEntry("@bob:test", "leave");
    }

    @Test
    void refuses_a_join_without_an_invite_with_the_membership_rules_403() {
        ok(post("/rooms", Map.of("creator", "@alice:test", "alias", "lobby", "preset", "private_chat")));
        TestClient.Reply r = post("/rooms/" + TestClient.enc("#lobby:test") + "/join", Map.of("user_id", "@eve:test"));
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void accepts_an_alias_wherever_a_room_id_goes() {
        ok(post("/rooms", Map.of("creator", "@alice:test", "alias", "lobby")));
        String lobby = "/rooms/" + TestClient.enc("#lobby:test");
        String id = ok(post(lobby + "/events", Map.of("sender", "@alice:test", "type", "m.room.message",
                "content", Map.of("msgtype", "m.text", "body", "hi")))).str("event_id");
        assertThat(ok(get(lobby)).str("room_id")).isEqualTo(hs.room("#lobby:test").roomId());
        JsonNode tl = ok(get(lobby + "/timeline?limit=1")).json().get("events");
        assertThat(tl.get(0).get("event_id").asText()).isEqualTo(id);
        assertThat(ok(get(lobby + "/state")).json().get("events")).isNotEmpty();
        ok(post(lobby + "/typing", Map.of("user_id", "@alice:test")));
        ok(post(lobby + "/receipts", Map.of("user_id", "@alice:test", "event_id", id)));
        TestClient.Reply missing = get("/rooms/" + TestClient.enc("#nowhere:test"));
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void lists_violations_marking_the_unexpected_and_allows_or_expects_them_as_in_process() {
        TestClient client = new TestClient(hs.url());
        client.get("/_matrix/client/v3/rooms/" + TestClient.enc("!nope:test") + "/state")
                .token(hs.registration("weather").asToken()).send();
        JsonNode v = ok(get("/violations")).json();
        assertThat(v.get("violations")).hasSize(hs.violations().size()).isNotEmpty();
        JsonNode first = v.get("violations").get(0);
        String errcode = first.get("errcode").asText();
        assertThat(first.get("unexpected").asBoolean()).isTrue();
        assertThat(first.at("/request/path").asText()).contains("/state");
        assertThat(v.get("unexpected").asInt()).isEqualTo(hs.unexpectedViolations().size());

        ok(post("/violations/allow", Map.of("errcode", errcode)));
        assertThat(hs.unexpectedViolations()).isEmpty();
        assertThat(ok(get("/violations")).json().get("violations").get(0).get("unexpected").asBoolean()).isFalse();

        hs.reset();
        client.get("/_matrix/client/v3/rooms/" + TestClient.enc("!nope:test") + "/state")
                .token(hs.registration("weather").asToken()).send();
        assertThat(hs.unexpectedViolations()).isNotEmpty();
        ok(post("/violations/expect", Map.of()));
        assertThat(hs.unexpectedViolations()).isEmpty();
        assertThat(ok(get("/violations")).json().get("unexpected").asInt()).isZero();
    }

    @Test
    void lints_the_registrations_as_in_process_and_warns_of_a_regex_claiming_every_user() {
        hs.addRegistration(Registration.builder("greedy").users("@.*", false).build());
        JsonNode findings = ok(get("/lint")).json().get("findings");
        assertThat(findings).hasSize(hs.lint().size());
        List<String> greedy = new ArrayList<>();
        findings.forEach(f -> {
            if (f.get("appservice_id").asText().equals("greedy")) {
                greedy.add(f.get("field").asText() + ": " + f.get("message").asText());
            }
        });
        assertThat(greedy).anyMatch(s -> s.startsWith("namespaces.users[0].regex") && s.contains("matches every user"));
    }

    @Test
    void changes_an_appservice_push_url_at_runtime() {
        TestClient.Reply r = ok(c.put("/_fakehs/v1/appservices/weather").token("t")
                .json(Map.of("url", "http://127.0.0.1:9123")).send());
        assertThat(r.str("url")).isEqualTo("http://127.0.0.1:9123");
        assertThat(hs.registration("weather").url()).isEqualTo("http://127.0.0.1:9123");
        TestClient.Reply unknown = c.put("/_fakehs/v1/appservices/nope").token("t")
                .json(Map.of("url", "http://127.0.0.1:9")).send();
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error()).contains("weather");
        TestClient.Reply none = c.put("/_fakehs/v1/appservices/weather").token("t").json(Map.of()).send();
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.errcode()).isEqualTo("M_MISSING_PARAM");
    }
}
