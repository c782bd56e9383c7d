package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.V3;
import static dev.fakehomeserver.testing.Fixture.rooms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** joined_rooms, joined_members and members (synapse-observed §10). */
class MemberListsTest {
    @AutoClose
    private final Fixture f = Fixture.start();
    private String alice;
    private String room;

    @BeforeEach
    void start() {
        alice = f.register("alice");
        f.register("bob");
        room = f.createRoom(alice, Map.of("preset", "public_chat", "invite", List.of("@bob:test")));
        f.ghost("weather_bob");
        f.joinAs("@weather_bob:test", room);
    }

    @Test
    void lists_the_joined_rooms_of_a_ghost() {
        Reply r = f.c.get(V3 + "/joined_rooms").token(f.as).asUser("@weather_bob:test").send();
        assertThat(r.json().get("joined_rooms").get(0).asText()).isEqualTo(room);
        assertThat(f.c.get(V3 + "/joined_rooms").token(f.as).send().json().get("joined_rooms").size()).isZero();
    }

    @Test
    void lists_joined_members_with_display_name_and_null_avatar() {
        Reply r = f.c.get(rooms(room) + "/joined_members").token(f.as).asUser("@weather_bob:test").send();
        assertThat(r.status()).isEqualTo(200);
        JsonNode joined = r.json().get("joined");
        assertThat(joined.fieldNames()).toIterable().containsExactlyInAnyOrder("@alice:test", "@weather_bob:test");
        assertThat(joined.at("/@weather_bob:test/display_name").asText()).isEqualTo("weather_bob");
        assertThat(joined.get("@weather_bob:test").get("avatar_url").isNull()).isTrue();
    }

    @Test
    void lists_member_events_filtered_by_membership() {
        Reply all = f.c.get(rooms(room) + "/members").token(alice).send();
        assertThat(stateKeys(all.json().get("chunk")))
                .containsExactlyInAnyOrder("@alice:test", "@bob:test", "@weather_bob:test");
        Reply invited = f.c.get(rooms(room) + "/members").token(alice).query("membership", "invite").send();
        assertThat(stateKeys(invited.json().get("chunk"))).containsExactly("@bob:test");
        Reply notJoined = f.c.get(rooms(room) + "/members").token(alice).query("not_membership", "join").send();
        assertThat(stateKeys(notJoined.json().get("chunk"))).containsExactly("@bob:test");
    }

    private static List<String> stateKeys(JsonNode chunk) {
        List<String> out = new java.util.ArrayList<>();
        chunk.forEach(e -> out.add(e.get("state_key").asText()));
        return out;
    }

    @Test
    void refuses_member_lists_to_users_never_in_the_room() {
        String carol = f.register("carol");
        assertThat(f.c.get(rooms(room) + "/members").token(carol).send().status()).isEqualTo(403);
        assertThat(f.c.get(rooms(room) + "/joined_members").token(carol).send().status()).isEqualTo(403);
    }
}
