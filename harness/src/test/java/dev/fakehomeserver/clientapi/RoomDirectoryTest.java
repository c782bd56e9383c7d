package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.V3;
import static dev.fakehomeserver.testing.Fixture.enc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Room directory visibility, appservice network lists and {@code /publicRooms} (spec-digest §4.8). */
class RoomDirectoryTest {
    @AutoClose
    private final Fixture f = Fixture.start();
    private String alice;
    private String room;

    @BeforeEach
    void start() {
        alice = f.register("alice");
        room = f.createRoom(alice, Map.of("preset", "public_chat", "name", "Trip", "topic", "Summer",
                "room_alias_name", "trip"));
    }

    private Reply network(String token, String method, String networkId, String roomId, Object body) {
        var req = f.c.method(method, V3 + "/directory/list/appservice/" + enc(networkId) + "/" + enc(roomId))
                .token(token);
        return (body == null ? req : req.json(body)).send();
    }

    private Reply publicRooms(Map<String, ?> body) {
        return f.c.post(V3 + "/publicRooms").token(alice).json(body).send();
    }

    private static List<String> roomIds(Reply r) {
        List<String> out = new ArrayList<>();
        r.json().get("chunk").forEach(e -> out.add(e.get("room_id").asText()));
        return out;
    }

    @Test
    void reads_and_sets_the_directory_visibility() {
        assertThat(f.c.get(V3 + "/directory/list/room/" + enc(room)).send().str("visibility")).isEqualTo("private");
        Reply set = f.c.put(V3 + "/directory/list/room/" + enc(room)).token(alice)
                .json(Map.of("visibility", "public")).send();
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(f.c.get(V3 + "/directory/list/room/" + enc(room)).send().str("visibility")).isEqualTo("public");
        assertThat(roomIds(publicRooms(Map.of()))).containsExactly(room);
    }

    @Test
    void refuses_visibility_changes_from_non_moderators_and_unknown_rooms() {
        String bob = f.register("bob");
        f.join(bob, room);
        Reply r = f.c.put(V3 + "/directory/list/room/" + enc(room)).token(bob)
                .json(Map.of("visibility", "public")).send();
        assertThat(r.status()).isEqualTo(403);
        assertThat(f.c.get(V3 + "/directory/list/room/" + enc("!nope:test")).send().status()).isEqualTo(404);
        assertThat(f.c.put(V3 + "/directory/list/room/" + enc(room)).token(alice)
                .json(Map.of("visibility", "secret")).send().errcode()).isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void an_appservice_publishes_a_room_in_its_network_list_without_any_validation() {
        assertThat(network(f.as, "PUT", "net1", room, Map.of("visibility", "public")).status()).isEqualTo(200);
        assertThat(network(f.as, "PUT", "net2", "!unknown:test", Map.of()).status()).isEqualTo(200);
        Reply listed = publicRooms(Map.of("third_party_instance_id", "weather|net1"));
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(roomIds(listed)).containsExactly(room);
        assertThat(roomIds(publicRooms(Map.of()))).isEmpty();
        assertThat(roomIds(publicRooms(Map.of("include_all_networks", true)))).containsExactly(room);
    }

    @Test
    void an_appservice_unpublishes_with_delete_or_private() {
        network(f.as, "PUT", "net1", room, Map.of());
        assertThat(network(f.as, "DELETE", "net1", room, null).status()).isEqualTo(200);
        assertThat(roomIds(publicRooms(Map.of("third_party_instance_id", "weather|net1")))).isEmpty();
        network(f.as, "PUT", "net1", room, Map.of());
        network(f.as, "PUT", "net1", room, Map.of("visibility", "private"));
        assertThat(roomIds(publicRooms(Map.of("third_party_instance_id", "weather|net1")))).isEmpty();
    }

    @Test
    void refuses_network_lists_to_users_with_403() {
        for (String method : new String[] {"PUT", "DELETE"}) {
            Reply r = network(alice, method, "net1", room, Map.of("visibility", "public"));
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
            assertThat(r.error()).isEqualTo("Only appservices can edit the appservice published room list");
        }
    }

    @Test
    void public_rooms_needs_a_token_as_synapse_1_94_by_default() {
        Reply r = f.c.get(V3 + "/publicRooms").send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.errcode()).isEqualTo("M_MISSING_TOKEN");
        assertThat(f.c.post(V3 + "/publicRooms").json(Map.of()).send().errcode()).isEqualTo("M_MISSING_TOKEN");
    }

    @Test
    void describes_each_public_room() {
        f.c.put(V3 + "/directory/list/room/" + enc(room)).token(alice).json(Map.of()).send();
        Reply r = f.c.get(V3 + "/publicRooms").token(alice).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("total_room_count_estimate").asInt()).isEqualTo(1);
        JsonNode e = r.json().get("chunk").get(0);
        assertThat(e.get("room_id").asText()).isEqualTo(room);
        assertThat(e.get("name").asText()).isEqualTo("Trip");
        assertThat(e.get("topic").asText()).isEqualTo("Summer");
        assertThat(e.get("canonical_alias").asText()).isEqualTo("#trip:test");
        assertThat(e.get("num_joined_members").asInt()).isEqualTo(1);
        assertThat(e.get("world_readable").asBoolean(true)).isFalse();
        assertThat(e.get("guest_can_join").asBoolean(true)).isFalse();
    }

    @Test
    void filters_by_search_term_and_pages_with_limit_and_since() {
        String other = f.createRoom(alice, Map.of("visibility", "public", "preset", "public_chat", "name", "Other"));
        f.c.put(V3 + "/directory/list/room/" + enc(room)).token(alice).json(Map.of()).send();
        assertThat(roomIds(publicRooms(Map.of("filter", Map.of("generic_search_term", "trip")))))
                .containsExactly(room);
        Reply first = publicRooms(Map.of("limit", 1));
        assertThat(first.json().get("chunk").size()).isEqualTo(1);
        Reply second = publicRooms(Map.of("limit", 1, "since", first.str("next_batch")));
        assertThat(List.of(roomIds(first).get(0), roomIds(second).get(0))).containsExactlyInAnyOrder(room, other);
        assertThat(second.json().has("next_batch")).isFalse();
    }

    @Test
    void refuses_include_all_networks_with_an_explicit_network() {
        Reply r = publicRooms(Map.of("third_party_instance_id", "weather|net1", "include_all_networks", true));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_UNKNOWN");
        assertThat(r.error()).isEqualTo("Can't use include_all_networks with an explicit network");
    }

    @Test
    void refuses_a_malformed_instance_id() {
        for (String id : new String[] {"weather", "a|b|c"}) {
            Reply r = publicRooms(Map.of("third_party_instance_id", id));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.error()).startsWith("Invalid ID");
        }
    }

    @Test
    void reset_forgets_aliases_and_published_lists() {
        network(f.as, "PUT", "net1", room, Map.of());
        f.hs.reset();
        alice = f.register("alice");
        assertThat(f.c.get(V3 + "/directory/room/" + enc("#trip:test")).send().status()).isEqualTo(404);
        assertThat(roomIds(publicRooms(Map.of("include_all_networks", true)))).isEmpty();
        var model = dev.fakehomeserver.TestAccess.model(f.hs);
        assertThat(model.read(() -> java.util.Map.copyOf(model.roomIdsByAlias()))).isEmpty();
    }

    @Test
    void pages_by_keyset_most_members_first_and_back_with_prev_batch() {
        String bob = f.register("bob");
        String carol = f.register("carol");
        String two = f.createRoom(alice, Map.of("visibility", "public", "preset", "public_chat"));
        String three = f.createRoom(alice, Map.of("visibility", "public", "preset", "public_chat"));
        f.join(bob, two);
        f.join(bob, three);
        f.join(carol, three);
        // room (1 member) is not published; publish it so three rooms of 1, 2 and 3 members are listed.
        f.c.put(V3 + "/directory/list/room/" + enc(room)).token(alice).json(Map.of()).send();
        List<String> seen = new ArrayList<>();
        Reply page = publicRooms(Map.of("limit", 1));
        seen.addAll(roomIds(page));
        Reply second = publicRooms(Map.of("limit", 1, "since", page.str("next_batch")));
        seen.addAll(roomIds(second));
        Reply third = publicRooms(Map.of("limit", 1, "since", second.str("next_batch")));
        seen.addAll(roomIds(third));
        assertThat(seen).containsExactly(three, two, room);
        assertThat(third.json().has("next_batch")).isFalse();
        Reply back = publicRooms(Map.of("limit", 1, "since", third.str("prev_batch")));
        assertThat(roomIds(back)).containsExactly(two);
        assertThat(back.json().has("next_batch")).isTrue();
        assertThat(back.json().has("prev_batch")).isTrue();
    }

    @Test
    void leaves_out_a_published_invite_only_room_and_keeps_sql_like_wildcards() {
        String hidden = f.createRoom(alice, Map.of("visibility", "public", "preset", "private_chat",
                "name", "Hidden"));
        assertThat(f.c.get(V3 + "/directory/list/room/" + enc(hidden)).send().str("visibility")).isEqualTo("public");
        assertThat(roomIds(publicRooms(Map.of("filter", Map.of("generic_search_term", "Hidden"))))).isEmpty();
        f.c.put(V3 + "/directory/list/room/" + enc(room)).token(alice).json(Map.of()).send();
        assertThat(roomIds(publicRooms(Map.of("filter", Map.of("generic_search_term", "T_ip")))))
                .as("'_' matches one character, as in Synapse's LIKE").containsExactly(room);
    }
}
