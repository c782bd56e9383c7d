package dev.fakehomeserver.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.testing.TestRegistrations;
import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.RoomView;
import dev.fakehomeserver.view.UserView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scene exported and loaded back into a fresh server gives the same views: every room (id, version, name,
 * topic, canonical alias, aliases, memberships, state, timeline, directory visibility) and every user's profile
 * and joined rooms. Stream positions are the one thing renumbered (they count the receiving server's appends)
 * and devices are not exported (they hold tokens), so the comparison leaves those two out.
 */
class SceneRoundTripTest {
    private final Registration weather = TestRegistrations.weather();

    @TempDir
    Path dir;

    /** A scene with something of everything the views show. */
    private static Map<String, String> play(Homeserver hs) {
        Actor alice = hs.user("@alice:test").displayName("Alice").avatarUrl("mxc://test/alice");
        Actor bob = hs.user("@bob:elsewhere").displayName("Bob");
        String lobby = alice.createRoom(RoomOptions.create().name("Lobby").topic("Say hi").alias("lobby")
                .preset(RoomOptions.PUBLIC_CHAT).publish(true).invite("@carol:test"));
        bob.join(lobby);
        alice.at(1_700_000_000_000L).send(lobby, "written yesterday");
        String hi = bob.send(lobby, "hi\nsecond line, ünïcödé and emoji 🎉");
        // Strings YAML would read as something else if they were not quoted, nested lists, numbers, booleans.
        alice.sendContent(lobby, "org.example.tricky", Map.of("yes", "yes", "n", "123", "date", "2001-12-14",
                "null", "null", "tilde", "~", "list", List.of(1, "two", List.of(true, false)), "big", 9_007_199_254_740_991L,
                "quote", "it's \"quoted\": # not a comment", "empty", ""));
        alice.sendContent(lobby, "m.room.message", Map.of("msgtype", "m.text", "body", "> hi\n\nhello",
                "m.relates_to", Map.of("m.in_reply_to", Map.of("event_id", hi))));
        String oops = bob.send(lobby, "oops");
        bob.redact(lobby, oops, "typo");
        alice.setState(lobby, "m.room.topic", "", Map.of("topic", "Say hi again"));
        hs.user("@weather_paris:test").displayName("Weather Paris").join(lobby);
        hs.user("@weather_paris:test").send(lobby, "Paris: sunny");
        String secret = alice.createRoom(RoomOptions.create().name("Secret").members("@bob:elsewhere", "@dave:test"));
        alice.kick(secret, "@dave:test", "bye");
        alice.ban(secret, "@eve:elsewhere", "spam");
        alice.invite(secret, "@carol:test");
        hs.user("@carol:test").leave(secret);   // rejects the invite
        return Map.of("lobby", lobby, "secret", secret);
    }

    @Test
    void a_scene_exported_and_loaded_into_a_fresh_server_gives_the_same_views() {
        try (Homeserver hs = Homeserver.builder().registration(weather).start();
             Homeserver fresh = Homeserver.builder().registration(weather).start()) {
            Map<String, String> rooms = play(hs);
            String scene = hs.exportScene();

            fresh.seedYaml(scene, "exported.yaml");

            assertSameViews(fresh.rooms(), hs.rooms());
            assertThat(users(fresh)).isEqualTo(users(hs));
            assertThat(fresh.room(rooms.get("lobby")).timeline()).hasSize(hs.room(rooms.get("lobby")).timeline().size());
            assertThat(fresh.room("#lobby:test").roomId()).isEqualTo(rooms.get("lobby"));
            assertThat(fresh.findUser("@weather_paris:test").orElseThrow().appserviceId()).isEqualTo("weather");
            // Exporting the copy gives the same file, but for the time in its first line.
            assertThat(withoutHeader(fresh.exportScene())).isEqualTo(withoutHeader(scene));
        }
    }

    @Test
    void a_scene_file_loads_back_through_the_builder_seeds_and_again_after_reset() throws Exception {
        Path file = dir.resolve("scene.yaml");
        List<RoomView> original;
        try (Homeserver hs = Homeserver.builder().registration(weather).start()) {
            play(hs);
            hs.exportScene(file);
            original = hs.rooms();
        }
        assertThat(Files.readString(file)).startsWith("# A fake-homeserver scene").contains("server_name: test");
        try (Homeserver fresh = Homeserver.builder().registration(weather).seed(file).start()) {
            assertSameViews(fresh.rooms(), original);
            fresh.user("@alice:test").send("#lobby:test", "after the scene");
            fresh.reset();
            assertSameViews(fresh.rooms(), original);
        }
    }

    @Test
    void loading_refuses_a_room_that_exists_and_a_scene_of_another_server_name() {
        try (Homeserver hs = Homeserver.builder().start()) {
            hs.user("@alice:test").createRoom(RoomOptions.create().name("Once"));
            String scene = hs.exportScene();
            assertThatThrownBy(() -> hs.seedYaml(scene, "again.yaml")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("again.yaml line").hasMessageContaining("already exists");
            try (Homeserver other = Homeserver.builder().serverName("other.example").start()) {
                assertThatThrownBy(() -> other.seedYaml(scene, "moved.yaml"))
                        .hasMessageContaining("exported from server 'test' and this server is 'other.example'");
            }
        }
    }

    @Test
    void a_hand_written_history_is_replayed_through_the_auth_rules() {
        String yaml = """
                rooms:
                  - creator: "@alice:test"
                    events:
                      - {sender: "@alice:test", type: m.room.create, state_key: "", content: {room_version: "10"}}
                      - {sender: "@alice:test", type: m.room.member, state_key: "@alice:test", content: {membership: join}}
                      - {sender: "@alice:test", type: m.room.message, ts: 1234, content: {msgtype: m.text, body: hello}}
                      - {sender: "@mallory:test", type: m.room.message, content: {msgtype: m.text, body: not a member}}
                """;
        try (Homeserver hs = Homeserver.builder().start()) {
            assertThatThrownBy(() -> hs.seedYaml(yaml, "hand.yaml"))
                    .hasMessageStartingWith("hand.yaml line 7, event m.room.message: M_FORBIDDEN");
            RoomView room = hs.rooms().get(0);
            assertThat(room.messages()).singleElement().satisfies(m -> {
                assertThat(m.body()).isEqualTo("hello");
                assertThat(m.originServerTs()).isEqualTo(1234);
            });
        }
    }

    @Test
    void a_scene_room_refuses_the_options_of_a_room_to_create() {
        String yaml = "rooms:\n  - creator: \"@alice:test\"\n    name: Lobby\n    events: []\n";
        try (Homeserver hs = Homeserver.builder().start()) {
            assertThatThrownBy(() -> hs.seedYaml(yaml, "mixed.yaml"))
                    .hasMessage("mixed.yaml line 3, field 'rooms[0].name': not with 'events': a replayed room's"
                            + " history says it");
        }
    }

    /** Field by field, so that a difference names the room and the event. */
    private static void assertSameViews(List<RoomView> actual, List<RoomView> expected) {
        Map<String, RoomView> a = comparable(actual);
        Map<String, RoomView> e = comparable(expected);
        assertThat(a.keySet()).containsExactlyElementsOf(e.keySet());
        for (String id : e.keySet()) {
            RoomView x = a.get(id);
            RoomView y = e.get(id);
            assertThat(x.timeline()).as("timeline of %s", id).hasSameSizeAs(y.timeline());
            for (int i = 0; i < y.timeline().size(); i++) {
                EventView xe = x.timeline().get(i);
                EventView ye = y.timeline().get(i);
                assertThat(xe.content()).as("content of %s", ye).isEqualTo(ye.content());
                assertThat(xe.unsigned()).as("unsigned of %s", ye).isEqualTo(ye.unsigned());
                assertThat(xe).as("event %s", ye).isEqualTo(ye);
            }
            assertThat(x.state()).as("state of %s", id).containsExactlyInAnyOrderElementsOf(y.state());
            assertThat(x.memberships()).as("members of %s", id).isEqualTo(y.memberships());
            assertThat(x).as("room %s", id).isEqualTo(y);
        }
    }

    /** The views, by room id, with stream positions zeroed: a fresh server numbers its own appends. */
    private static Map<String, RoomView> comparable(List<RoomView> rooms) {
        Map<String, RoomView> out = new LinkedHashMap<>();
        rooms.stream().sorted(Comparator.comparing(RoomView::roomId)).forEach(r -> out.put(r.roomId(),
                new RoomView(r.roomId(), r.version(), r.name(), r.topic(), r.canonicalAlias(), r.aliases(),
                        r.memberships(), unstreamed(r.state()), unstreamed(r.timeline()), r.published())));
        return out;
    }

    private static List<EventView> unstreamed(List<EventView> events) {
        return events.stream().map(e -> new EventView(e.eventId(), e.roomId(), e.type(), e.sender(), e.stateKey(),
                e.content(), e.originServerTs(), 0, e.redacted(), e.unsigned())).toList();
    }

    /** Users without their devices (not exported: they hold access tokens). */
    private static Map<String, List<Object>> users(Homeserver hs) {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        hs.users().stream().sorted(Comparator.comparing(UserView::userId)).forEach(u -> out.put(u.userId(),
                java.util.Arrays.asList(u.displayName(), u.avatarUrl(), u.appserviceId(), u.remote(),
                        u.joinedRooms().stream().sorted().toList())));
        return out;
    }

    private static String withoutHeader(String scene) {
        return scene.substring(scene.indexOf('\n') + 1);
    }
}
