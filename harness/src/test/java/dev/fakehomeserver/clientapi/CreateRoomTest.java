package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.V3;
import static dev.fakehomeserver.testing.Fixture.enc;
import static dev.fakehomeserver.testing.Fixture.rooms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.TestAccess;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /createRoom}: presets, initial state, invites, aliases (§4.8, synapse-observed §4). */
class CreateRoomTest {
    @AutoClose
    private final Fixture f = Fixture.start();
    private String alice;

    @BeforeEach
    void start() {
        alice = f.register("alice");
    }

    private JsonNode state(String token, String roomId, String type, String key) {
        Reply r = f.c.get(rooms(roomId) + "/state/" + type + "/" + enc(key)).token(token).send();
        assertThat(r.status()).as(type + " " + r).isEqualTo(200);
        return r.json();
    }

    private Reply create(String token, String asUser, Map<String, ?> body) {
        var req = f.c.post(V3 + "/createRoom").token(token).json(body);
        return asUser == null ? req.send() : req.asUser(asUser).send();
    }

    @Test
    void public_chat_is_joinable_and_public_visibility_lists_it_in_the_directory() {
        String room = f.createRoom(alice, Map.of("preset", "public_chat", "visibility", "public", "name", "Trip",
                "topic", "Summer"));
        assertThat(state(alice, room, "m.room.join_rules", "").path("join_rule").asText()).isEqualTo("public");
        assertThat(state(alice, room, "m.room.name", "").path("name").asText()).isEqualTo("Trip");
        assertThat(state(alice, room, "m.room.topic", "").path("topic").asText()).isEqualTo("Summer");
        JsonNode create = state(alice, room, "m.room.create", "");
        assertThat(create.path("creator").asText()).isEqualTo("@alice:test");
        assertThat(create.path("room_version").asText()).isEqualTo("10");
        assertThat(f.c.get(V3 + "/directory/list/room/" + enc(room)).send().str("visibility")).isEqualTo("public");
    }

    @Test
    void defaults_to_a_private_invite_only_room_outside_the_directory() {
        String room = f.createRoom(alice, Map.of());
        assertThat(state(alice, room, "m.room.join_rules", "").path("join_rule").asText()).isEqualTo("invite");
        assertThat(state(alice, room, "m.room.guest_access", "").path("guest_access").asText())
                .isEqualTo("can_join");
        assertThat(f.c.get(V3 + "/directory/list/room/" + enc(room)).send().str("visibility")).isEqualTo("private");
    }

    @Test
    void gives_the_creator_power_100_and_applies_the_override() {
        String room = f.createRoom(alice, Map.of("power_level_content_override", Map.of("kick", 0,
                "users", Map.of("@alice:test", 100, "@bob:test", 50))));
        JsonNode pl = state(alice, room, "m.room.power_levels", "");
        assertThat(pl.path("kick").asInt()).isZero();
        assertThat(pl.at("/users/@bob:test").asInt()).isEqualTo(50);
        assertThat(pl.at("/users/@alice:test").asInt()).isEqualTo(100);
    }

    @Test
    void invites_with_is_direct_and_trusted_private_chat_raises_invitees_to_100() {
        f.register("bob");
        String room = f.createRoom(alice, Map.of("preset", "trusted_private_chat", "is_direct", true,
                "invite", List.of("@bob:test")));
        JsonNode member = state(alice, room, "m.room.member", "@bob:test");
        assertThat(member.path("membership").asText()).isEqualTo("invite");
        assertThat(member.path("is_direct").asBoolean()).isTrue();
        assertThat(state(alice, room, "m.room.power_levels", "").at("/users/@bob:test").asInt()).isEqualTo(100);
    }

    @Test
    void applies_initial_state() {
        String room = f.createRoom(alice, Map.of("initial_state", List.of(Map.of("type", "m.room.avatar",
                "state_key", "", "content", Map.of("url", "mxc://test/a")))));
        assertThat(state(alice, room, "m.room.avatar", "").path("url").asText()).isEqualTo("mxc://test/a");
    }

    @Test
    void creates_an_alias_in_the_appservice_namespace_that_resolves_afterwards() {
        f.ghost("weather_g");
        String room = f.createRoomAs("@weather_g:test", Map.of("room_alias_name", "weather_paris",
                "preset", "public_chat"));
        Reply resolved = f.c.get(V3 + "/directory/room/" + enc("#weather_paris:test")).send();
        assertThat(resolved.str("room_id")).isEqualTo(room);
        assertThat(TestAccess.timeline(f.hs, room, "m.room.canonical_alias")).singleElement()
                .satisfies(e -> assertThat(e.content().path("alias").asText()).isEqualTo("#weather_paris:test"));
    }

    @Test
    void refuses_a_taken_alias_with_M_ROOM_IN_USE() {
        f.createRoom(alice, Map.of("room_alias_name", "trip"));
        Reply r = create(alice, null, Map.of("room_alias_name", "trip"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_ROOM_IN_USE");
        assertThat(r.error()).isEqualTo("Room alias already taken");
    }

    @Test
    void refuses_an_alias_outside_the_appservice_namespace_and_creates_no_room() {
        f.ghost("weather_g");
        Reply r = create(f.as, "@weather_g:test", Map.of("room_alias_name", "london", "preset", "private_chat"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_EXCLUSIVE");
        assertThat(r.error()).isEqualTo("This application service has not reserved this kind of alias.");
        var model = TestAccess.model(f.hs);
        assertThat(model.read(() -> java.util.List.copyOf(model.rooms()))).isEmpty();
        Reply alias = f.c.get(V3 + "/directory/room/" + enc("#london:test")).send();
        assertThat(alias.status()).isEqualTo(404);
        assertThat(alias.error()).isEqualTo("Room alias #london:test not found");
    }

    @Test
    void refuses_a_human_an_alias_reserved_by_an_appservice() {
        Reply r = create(alice, null, Map.of("room_alias_name", "weather_mine"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_EXCLUSIVE");
        assertThat(r.error()).isEqualTo("This alias is reserved by an application service.");
    }

    @Test
    void refuses_an_unknown_preset_with_M_BAD_JSON_and_a_bad_invite_list_with_M_UNKNOWN() {
        // Synapse 1.94's errcodes (conversations/rooms): the preset is M_BAD_JSON, an invitee that does not
        // parse is a plain SynapseError (M_UNKNOWN), whether the list is a string or holds a bad id.
        assertThat(create(alice, null, Map.of("preset", "secret")).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(create(alice, null, Map.of("invite", "@bob:test")).errcode()).isEqualTo("M_UNKNOWN");
        assertThat(create(alice, null, Map.of("invite", List.of("bob"))).errcode()).isEqualTo("M_UNKNOWN");
    }

    @Test
    void refuses_a_body_that_is_not_json_or_not_an_object() {
        assertThat(f.c.post(V3 + "/createRoom").token(alice).json("{not json").send().errcode())
                .isEqualTo("M_NOT_JSON");
        assertThat(f.c.post(V3 + "/createRoom").token(alice).json("[1,2]").send().errcode())
                .isEqualTo("M_BAD_JSON");
    }
}
