package dev.fakehomeserver.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.InjectionRefusedException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checks of the one append path (issue 17, items 11 and 12) over real HTTP, with the answers and texts of
 * Synapse 1.94 (asked: conversation family {@code hardening}): canonical JSON in room versions 6 and later, the
 * power levels schema in every version, the size limits; the same for an event a test injects through the
 * control API or the DSL, so no face can store what the client API refuses.
 */
class EventChecksTest {
    private static final String TOKEN = "control-token-for-event-checks";
    private static Homeserver hs;
    private static Actor alice;
    private static String v10;
    private static String v5;
    private static int txn;

    @BeforeAll
    static void start() {
        hs = Homeserver.builder().controlApi(TOKEN).start();
        alice = hs.user("@alice:test");
        v10 = createRoom("10");
        v5 = createRoom("5");
    }

    @AfterAll
    static void stop() {
        hs.close();
    }

    private static String createRoom(String version) {
        Wire.Reply r = Wire.json("POST", hs.url() + "/_matrix/client/v3/createRoom", alice.accessToken(),
                "{\"room_version\":\"" + version + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().path("room_id").asText();
    }

    private static String rooms(String room) {
        return hs.url() + "/_matrix/client/v3/rooms/" + enc(room);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Wire.Reply send(String room, String type, String body) {
        return Wire.json("PUT", rooms(room) + "/send/" + enc(type) + "/c" + (++txn), alice.accessToken(), body);
    }

    private static Wire.Reply powerLevels(String room, String levels) {
        return Wire.json("PUT", rooms(room) + "/state/m.room.power_levels/", alice.accessToken(),
                "{\"users\":{\"@alice:test\":100}," + levels + "}");
    }

    private static void assertRefused(Wire.Reply r, int status, String errcode, String error) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.errcode()).as(r.toString()).isEqualTo(errcode);
        assertThat(r.error()).as(r.toString()).isEqualTo(error);
    }

    private static String message(String extra) {
        return "{\"msgtype\":\"m.text\",\"body\":\"x\",\"n\":" + extra + "}";
    }

    @Test
    void a_v10_room_refuses_integers_beyond_2_to_the_53_and_every_float_with_M_BAD_JSON() {
        // Before: all stored; 1e999999999 as the string "Infinity".
        assertRefused(send(v10, "m.room.message", message("9007199254740992")), 400, "M_BAD_JSON",
                "JSON integer out of range");
        assertRefused(send(v10, "m.room.message", message("-9007199254740992")), 400, "M_BAD_JSON",
                "JSON integer out of range");
        assertRefused(send(v10, "m.room.message", message("1.0")), 400, "M_BAD_JSON", "Bad JSON value: float");
        assertRefused(send(v10, "m.room.message", message("[{\"a\":1.5}]")), 400, "M_BAD_JSON",
                "Bad JSON value: float");
        assertRefused(send(v10, "m.room.message", message("1e999999999")), 400, "M_BAD_JSON",
                "Bad JSON value: float out of range");
        assertThat(send(v10, "m.room.message", message("9007199254740991")).status()).isEqualTo(200);
        assertThat(hs.room(v10).timeline().toString()).doesNotContain("Infinity");
    }

    @Test
    void a_v5_room_keeps_floats_and_big_integers_but_never_a_number_that_is_not_finite() {
        Wire.Reply stored = send(v5, "m.room.message", message("[1.5, 9007199254740993]"));
        assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
        Wire.Reply read = Wire.send("GET", rooms(v5) + "/event/" + enc(stored.json().path("event_id").asText()),
                alice.accessToken(), null, null);
        assertThat(read.json().path("content").path("n").toString()).isEqualTo("[1.5,9007199254740993]");
        // Synapse 1.94 answers 500 here (its canonical encoder cannot write infinity); a correct server refuses.
        assertRefused(send(v5, "m.room.message", message("-1e999999999")), 400, "M_BAD_JSON",
                "Bad JSON value: float out of range");
    }

    @Test
    void power_levels_are_integers_in_every_room_version_in_synapses_words() {
        for (String room : new String[] {v10, v5}) {
            assertRefused(powerLevels(room, "\"ban\":\"50\""), 400, "M_BAD_JSON",
                    "\"ban\": '50' is not of type 'integer'");
            assertRefused(powerLevels(room, "\"kick\":\"it's\""), 400, "M_BAD_JSON",
                    "\"kick\": \"it's\" is not of type 'integer'");
            assertRefused(powerLevels(room, "\"kick\":[\"a\",1,{\"b\":null},true]"), 400, "M_BAD_JSON",
                    "\"kick\": ['a', 1, {'b': None}, True] is not of type 'integer'");
            assertRefused(powerLevels(room, "\"events\":5"), 400, "M_BAD_JSON",
                    "\"events\": 5 is not of type 'object'");
            assertRefused(powerLevels(room, "\"events\":{\"m.x\":\"5\"},\"ban\":\"x\""), 400, "M_BAD_JSON",
                    "\"ban\": 'x' is not of type 'integer'");
            assertRefused(Wire.json("PUT", rooms(room) + "/state/m.room.power_levels/", alice.accessToken(),
                    "{\"users\":{\"@alice:test\":\"100\"}}"), 400, "M_BAD_JSON",
                    "\"@alice:test\": '100' is not of type 'integer'");
        }
        // Version 10 refuses floats before the schema sees them; version 5 takes an integral one as jsonschema does.
        assertRefused(powerLevels(v10, "\"ban\":50.0"), 400, "M_BAD_JSON", "Bad JSON value: float");
        assertThat(powerLevels(v5, "\"ban\":50.0").status()).isEqualTo(200);
        assertRefused(powerLevels(v5, "\"ban\":50.5"), 400, "M_BAD_JSON", "\"ban\": 50.5 is not of type 'integer'");
        assertRefused(powerLevels(v5, "\"ban\":9007199254740992"), 400, "M_BAD_JSON",
                "\"ban\": 9007199254740992 is greater than the maximum of 9007199254740991");
        // Not a level of the schema: Synapse takes it.
        assertThat(powerLevels(v10, "\"historical\":\"x\"").status()).isEqualTo(200);
    }

    @Test
    void a_control_injected_events_default_of_1e400_is_refused_and_the_room_stays_usable() {
        // Before: stored as "Infinity", and nobody could post in the room any more.
        String body = "{\"sender\":\"@alice:test\",\"type\":\"m.room.power_levels\",\"state_key\":\"\","
                + "\"content\":{\"users\":{\"@alice:test\":100},\"events_default\":1e400}}";
        Wire.Reply r = Wire.send("POST", hs.url() + "/_fakehs/v1/rooms/" + enc(v10) + "/events", TOKEN,
                "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertRefused(r, 400, "M_BAD_JSON", "Bad JSON value: float out of range");
        assertThatThrownBy(() -> alice.setState(v10, "m.room.power_levels", "",
                Map.of("events_default", Double.POSITIVE_INFINITY)))
                .isInstanceOfSatisfying(InjectionRefusedException.class, e -> {
                    assertThat(e.getErrcode()).isEqualTo("M_BAD_JSON");
                    assertThat(e.getError()).isEqualTo("Bad JSON value: float out of range");
                });
        assertThatThrownBy(() -> alice.sendContent(v10, "org.example", Map.of("n", 0.5)))
                .isInstanceOfSatisfying(InjectionRefusedException.class, e ->
                        assertThat(e.getErrcode()).isEqualTo("M_BAD_JSON"));
        assertThat(send(v10, "m.room.message", message("1")).status()).isEqualTo(200);
    }

    @Test
    void type_and_state_key_over_255_bytes_are_413_M_TOO_LARGE() {
        // Before: stored.
        assertRefused(send(v10, "a".repeat(256), "{}"), 413, "M_TOO_LARGE", "'type' too large");
        assertRefused(send(v10, "\u00e9".repeat(128), "{}"), 413, "M_TOO_LARGE", "'type' too large");
        assertThat(send(v10, "a".repeat(255), "{}").status()).isEqualTo(200);
        Wire.Reply key = Wire.json("PUT", rooms(v10) + "/state/org.example/" + "k".repeat(256),
                alice.accessToken(), "{}");
        assertRefused(key, 413, "M_TOO_LARGE", "'state_key' too large");
        Wire.Reply type = Wire.json("PUT", rooms(v10) + "/state/" + "t".repeat(256) + "/k", alice.accessToken(),
                "{}");
        assertRefused(type, 413, "M_TOO_LARGE", "'type' too large");
        assertThat(Wire.json("PUT", rooms(v10) + "/state/org.example/" + "k".repeat(255), alice.accessToken(),
                "{}").status()).isEqualTo(200);
        // Synapse checks the content and the whole event first: a float wins over a long type.
        assertRefused(send(v10, "a".repeat(256), "{\"n\":1.5}"), 400, "M_BAD_JSON", "Bad JSON value: float");
    }

    @Test
    void a_non_member_is_refused_403_before_its_content_is_looked_at() {
        Actor bob = hs.user("@bob:test");
        Wire.Reply r = Wire.json("PUT", rooms(v10) + "/send/" + "a".repeat(256) + "/nm", bob.accessToken(),
                "{\"n\":1.5}");
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void an_injected_sender_over_255_bytes_is_413_and_the_whole_event_limit_holds_for_injection_too() {
        String body = "{\"sender\":\"@alice:test\",\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\","
                + "\"body\":\"" + "x".repeat(70_000) + "\"}}";
        Wire.Reply big = Wire.send("POST", hs.url() + "/_fakehs/v1/rooms/" + enc(v10) + "/events", TOKEN,
                "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(big.status()).as(big.toString()).isEqualTo(413);
        assertThat(big.errcode()).isEqualTo("M_TOO_LARGE");
        assertThat(big.error()).startsWith("event too large");
        Wire.Reply http = send(v10, "m.room.message", "{\"msgtype\":\"m.text\",\"body\":\"" + "x".repeat(70_000) + "\"}");
        assertThat(http.status()).isEqualTo(413);
        assertThat(http.error()).startsWith("event too large");

        String longUser = "@" + "u".repeat(250) + ":test";
        String room = hs.user("@carol:test").createRoom(dev.fakehomeserver.events.RoomOptions.create()
                .preset(dev.fakehomeserver.events.RoomOptions.PUBLIC_CHAT));
        assertThatThrownBy(() -> hs.user(longUser).join(room))
                .isInstanceOfSatisfying(InjectionRefusedException.class, e -> {
                    assertThat(e.getStatus()).isEqualTo(413);
                    assertThat(e.getError()).isEqualTo("'user_id' too large");
                });
    }

    @Test
    void no_body_stores_a_number_that_is_not_finite_as_the_string_infinity() {
        // Before: account data and filters kept 1e999999999 and answered it back as "Infinity".
        String account = hs.url() + "/_matrix/client/v3/user/" + enc("@alice:test") + "/account_data/org.example";
        assertRefused(Wire.json("PUT", account, alice.accessToken(), "{\"n\":1e999999999}"), 400, "M_BAD_JSON",
                "Bad JSON value: float out of range");
        assertThat(Wire.json("PUT", account, alice.accessToken(), "{\"n\":1.5e300}").status()).isEqualTo(200);
        assertThat(Wire.send("GET", account, alice.accessToken(), null, null).body()).doesNotContain("Infinity");
    }
}
