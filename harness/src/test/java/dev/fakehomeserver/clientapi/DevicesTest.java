package dev.fakehomeserver.clientapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DevicesTest {
    private static final String DEVICES = "/_matrix/client/v3/devices";
    @AutoClose
    private final Fixture fx = Fixture.start();
    private String alice;
    private String aliceDevice;

    @BeforeEach
    void setUp() {
        alice = fx.register("alice");
        aliceDevice = fx.c.get("/_matrix/client/v3/account/whoami").token(alice).send().str("device_id");
    }

    /** A second login of alice: a second device and token. */
    private String[] secondLogin() {
        var r = fx.c.post("/_matrix/client/v3/login").json(Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", "alice"), "password", "pw-alice",
                "device_id", "PHONE")).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return new String[] {r.str("access_token"), r.str("device_id")};
    }

    @Test
    void lists_the_users_devices() {
        var r = fx.c.get(DEVICES).token(alice).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("devices")).hasSize(1);
        assertThat(r.json().get("devices").get(0).path("device_id").asText()).isEqualTo(aliceDevice);
    }

    @Test
    void gets_one_device_and_404s_an_unknown_one() {
        assertThat(fx.c.get(DEVICES + "/" + aliceDevice).token(alice).send().str("device_id")).isEqualTo(aliceDevice);
        var r = fx.c.get(DEVICES + "/NOPE").token(alice).send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void a_user_renames_an_existing_device() {
        var r = fx.c.put(DEVICES + "/" + aliceDevice).token(alice).json(Map.of("display_name", "laptop")).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(fx.c.get(DEVICES + "/" + aliceDevice).token(alice).send().str("display_name")).isEqualTo("laptop");
    }

    @Test
    void a_user_cannot_create_a_device_with_put_404() {
        var r = fx.c.put(DEVICES + "/NEWDEV").token(alice).json(Map.of("display_name", "x")).send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void refuses_a_display_name_that_is_not_a_string_with_M_BAD_JSON() {
        var r = fx.c.put(DEVICES + "/" + aliceDevice).token(alice).json(Map.of("display_name", 3)).send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_BAD_JSON");
    }

    @Test
    void an_appservice_creates_a_ghost_device_with_201_then_updates_it_with_200() {
        String ghost = fx.ghost("weather_g");
        var created = fx.c.put(DEVICES + "/GHOSTDEV").token(fx.as).asUser(ghost)
                .json(Map.of("display_name", "d")).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        var again = fx.c.put(DEVICES + "/GHOSTDEV").token(fx.as).asUser(ghost)
                .json(Map.of("display_name", "d2")).send();
        assertThat(again.status()).isEqualTo(200);
        // the device now exists for identity assertion
        var who = fx.c.get("/_matrix/client/v3/account/whoami").token(fx.as).asUser(ghost)
                .query("device_id", "GHOSTDEV").send();
        assertThat(who.status()).isEqualTo(200);
        assertThat(who.str("device_id")).isEqualTo("GHOSTDEV");
    }

    @Test
    void deleting_a_device_asks_users_for_interactive_auth_first() {
        String[] phone = secondLogin();
        var r = fx.c.delete(DEVICES + "/" + phone[1]).token(alice).send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().path("flows").get(0).path("stages").get(0).asText()).isEqualTo("m.login.password");
        assertThat(r.json().has("session")).isTrue();
        assertThat(fx.c.get(DEVICES + "/" + phone[1]).token(alice).send().status()).isEqualTo(200);
    }

    @Test
    void deleting_a_device_with_the_password_ends_its_sessions() {
        String[] phone = secondLogin();
        var r = fx.c.delete(DEVICES + "/" + phone[1]).token(alice).json(Map.of("auth", Map.of(
                "type", "m.login.password", "identifier", Map.of("type", "m.id.user", "user", "alice"),
                "password", "pw-alice"))).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(fx.c.get(DEVICES + "/" + phone[1]).token(alice).send().status()).isEqualTo(404);
        var gone = fx.c.get("/_matrix/client/v3/account/whoami").token(phone[0]).send();
        assertThat(gone.status()).isEqualTo(401);
        assertThat(gone.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
    }

    @Test
    void a_wrong_password_gets_401_M_FORBIDDEN_with_the_flows() {
        String[] phone = secondLogin();
        var r = fx.c.delete(DEVICES + "/" + phone[1]).token(alice).json(Map.of("auth", Map.of(
                "type", "m.login.password", "user", "alice", "password", "wrong"))).send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(r.json().has("flows")).isTrue();
    }

    @Test
    void the_dummy_stage_is_accepted_for_convenience() {
        String[] phone = secondLogin();
        var r = fx.c.delete(DEVICES + "/" + phone[1]).token(alice).json(Map.of("auth", Map.of("type",
                "m.login.dummy"))).send();
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void an_appservice_deletes_a_ghost_device_without_interactive_auth() {
        String ghost = fx.ghost("weather_g");
        fx.c.put(DEVICES + "/GHOSTDEV").token(fx.as).asUser(ghost).json(Map.of()).send();
        var r = fx.c.delete(DEVICES + "/GHOSTDEV").token(fx.as).asUser(ghost).send();
        assertThat(r.status()).isEqualTo(200);
        var list = fx.c.get(DEVICES).token(fx.as).asUser(ghost).send();
        assertThat(list.json().get("devices")).isEmpty();
    }

    @Test
    void delete_devices_removes_several_after_auth() {
        String[] phone = secondLogin();
        var challenge = fx.c.post("/_matrix/client/v3/delete_devices").token(alice)
                .json(Map.of("devices", List.of(phone[1]))).send();
        assertThat(challenge.status()).isEqualTo(401);
        var r = fx.c.post("/_matrix/client/v3/delete_devices").token(alice)
                .json(Map.of("devices", List.of(phone[1], "UNKNOWN"), "auth", Map.of("type", "m.login.dummy")))
                .send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(fx.c.get(DEVICES).token(alice).send().json().get("devices")).hasSize(1);
    }

    @Test
    void delete_devices_without_a_list_is_400_M_MISSING_PARAM() {
        var r = fx.c.post("/_matrix/client/v3/delete_devices").token(fx.as).json(Map.of()).send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_MISSING_PARAM");
    }

    @Test
    void delete_devices_with_a_malformed_list_is_400_M_BAD_JSON() {
        var r = fx.c.post("/_matrix/client/v3/delete_devices").token(fx.as).json(Map.of("devices", "A"))
                .send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_BAD_JSON");
    }

    @Test
    void requires_a_token() {
        var r = fx.c.get(DEVICES).send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.errcode()).isEqualTo("M_MISSING_TOKEN");
    }

    @Test
    void a_session_is_bound_to_its_request_and_passes_again_once_completed() {
        String[] phone = secondLogin();
        var first = fx.c.delete(DEVICES + "/" + phone[1]).token(alice).json(Map.of()).send();
        String session = first.str("session");
        var elsewhere = fx.c.delete(DEVICES + "/" + aliceDevice).token(alice)
                .json(Map.of("auth", Map.of("session", session, "type", "m.login.password",
                        "identifier", Map.of("type", "m.id.user", "user", "alice"), "password", "pw-alice"))).send();
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(403);
        var wrong = fx.c.delete(DEVICES + "/" + phone[1]).token(alice).json(Map.of("auth", Map.of("session", session,
                "type", "m.login.password", "identifier", Map.of("type", "m.id.user", "user", "alice"),
                "password", "nope"))).send();
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("completed")).isEmpty();
        var right = fx.c.delete(DEVICES + "/" + phone[1]).token(alice).json(Map.of("auth", Map.of("session", session,
                "type", "m.login.password", "identifier", Map.of("type", "m.id.user", "user", "alice"),
                "password", "pw-alice"))).send();
        assertThat(right.status()).as(right.toString()).isEqualTo(200);
        var again = fx.c.delete(DEVICES + "/" + phone[1]).token(alice).json(Map.of("auth", Map.of("session", session)))
                .send();
        assertThat(again.status()).as("a completed session passes again, as in Synapse").isEqualTo(200);
    }
}
