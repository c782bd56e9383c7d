package dev.fakehomeserver.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.TestRegistrations;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.RoomView;
import dev.fakehomeserver.view.UserView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The in-process API and the control API are two faces of one facade: the same scene played through each
 * leaves the same rooms and users. Also names the two drifts the control API once had.
 */
class FacesAgreeTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final long YESTERDAY = T0.toEpochMilli() - 86_400_000L;
    private static final Registration WEATHER = TestRegistrations.weather();

    private final Homeserver inProcess = Homeserver.builder().registration(WEATHER)
            .clock(new VirtualClock(T0)).start();
    private final Homeserver controlled = Homeserver.builder().registration(WEATHER).controlApi("t")
            .clock(new VirtualClock(T0)).start();
    private final TestClient c = new TestClient(controlled.url());

    @AfterEach
    void stop() {
        inProcess.close();
        controlled.close();
    }

    private TestClient.Reply post(String path, Object body) {
        TestClient.Reply r = c.post("/_fakehs/v1" + path).token("t").json(body).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    @Test
    void one_scene_leaves_the_same_rooms_and_users_in_process_and_through_the_control_api() {
        // In process.
        inProcess.user("@alice:test").displayName("Alice");
        String room = inProcess.user("@weather_paris:test").createRoom(RoomOptions.create().name("Paris")
                .alias("weather_paris").preset(RoomOptions.PUBLIC_CHAT).members("@alice:test", "@bob:elsewhere"));
        inProcess.user("@alice:test").at(YESTERDAY).send(room, "hello");
        inProcess.user("@weather_paris:test").setState(room, "m.room.topic", "", Map.of("topic", "sunny"));
        inProcess.user("@weather_paris:test").membership(room, "@carol:test", Map.of("membership", "invite"));

        // The same through the control API, over HTTP.
        post("/users", Map.of("user_id", "@alice:test", "displayname", "Alice"));
        String id = post("/rooms", Map.of("creator", "@weather_paris:test", "name", "Paris",
                "alias", "#weather_paris:test", "preset", "public_chat",
                "members", List.of("@alice:test", "@bob:elsewhere"))).str("room_id");
        String events = "/rooms/" + TestClient.enc(id) + "/events";
        post(events, Map.of("sender", "@alice:test", "type", "m.room.message", "ts", YESTERDAY,
                "content", Map.of("msgtype", "m.text", "body", "hello")));
        post(events, Map.of("sender", "@weather_paris:test", "type", "m.room.topic", "state_key", "",
                "content", Map.of("topic", "sunny")));
        post(events, Map.of("sender", "@weather_paris:test", "type", "m.room.member", "state_key", "@carol:test",
                "content", Map.of("membership", "invite")));

        assertThat(rooms(controlled)).isEqualTo(rooms(inProcess));
        assertThat(users(controlled)).isEqualTo(users(inProcess));
        assertThat(rooms(inProcess)).hasSize(1);
    }

    @Test
    void membership_operations_and_invites_on_creation_leave_the_same_rooms_on_both_faces() {
        String room = inProcess.user("@alice:test").createRoom(RoomOptions.create().alias("lobby")
                .invite("@dave:test").members("@bob:test"));
        inProcess.user("@alice:test").invite("#lobby:test", "@carol:test");
        inProcess.user("@carol:test").join(room);
        inProcess.user("@bob:test").leave("#lobby:test");
        inProcess.user("@alice:test").kick(room, "@carol:test", "noise");
        inProcess.user("@alice:test").ban(room, "@eve:elsewhere", null);

        post("/rooms", Map.of("creator", "@alice:test", "alias", "lobby", "invite", List.of("@dave:test"),
                "members", List.of("@bob:test")));
        String lobby = "/rooms/" + TestClient.enc("#lobby:test");
        post(lobby + "/invite", Map.of("sender", "@alice:test", "user_id", "@carol:test"));
        post(lobby + "/join", Map.of("user_id", "@carol:test"));
        post(lobby + "/leave", Map.of("user_id", "@bob:test"));
        post(lobby + "/kick", Map.of("sender", "@alice:test", "user_id", "@carol:test", "reason", "noise"));
        post(lobby + "/ban", Map.of("sender", "@alice:test", "user_id", "@eve:elsewhere"));

        assertThat(rooms(controlled)).isEqualTo(rooms(inProcess));
        assertThat(users(controlled)).isEqualTo(users(inProcess));
        assertThat(inProcess.room(room).memberships()).containsEntry("@dave:test", "invite")
                .containsEntry("@eve:elsewhere", "ban");
    }

    @Test
    void violations_lint_and_a_new_push_url_read_the_same_on_both_faces() {
        for (Homeserver hs : List.of(inProcess, controlled)) {
            new TestClient(hs.url()).get("/_matrix/client/v3/rooms/" + TestClient.enc("!nope:test") + "/state")
                    .token(hs.registration("weather").asToken()).send();
        }
        var violations = c.get("/_fakehs/v1/violations").token("t").send().json().get("violations");
        assertThat(violations).hasSize(inProcess.violations().size());
        assertThat(violations.get(0).get("errcode").asText()).isEqualTo(inProcess.violations().get(0).errcode());
        assertThat(violations.get(0).get("what").asText()).isEqualTo(inProcess.violations().get(0).what());

        var lint = c.get("/_fakehs/v1/lint").token("t").send().json().get("findings");
        List<String> overHttp = new ArrayList<>();
        lint.forEach(f -> overHttp.add(f.get("appservice_id").asText() + " " + f.get("field").asText() + " "
                + f.get("message").asText()));
        assertThat(overHttp).isEqualTo(inProcess.lint().stream().map(f -> f.registrationId() + " " + f.field()
                + " " + f.message()).toList());

        inProcess.setAppserviceUrl("weather", "http://127.0.0.1:9555");
        c.put("/_fakehs/v1/appservices/weather").token("t").json(Map.of("url", "http://127.0.0.1:9555")).send();
        assertThat(controlled.registration("weather").url()).isEqualTo(inProcess.registration("weather").url());
    }

    @Test
    void a_user_created_through_the_control_api_belongs_to_its_appservice_as_in_process() {
        TestClient.Reply r = post("/users", Map.of("user_id", "@weather_bob:test"));
        assertThat(r.str("appservice_id")).isEqualTo("weather");
        assertThat(controlled.findUser("@weather_bob:test").orElseThrow().appserviceId())
                .isEqualTo(inProcess.user("@weather_bob:test").view().appserviceId()).isEqualTo("weather");
    }

    @Test
    void accepts_a_room_alias_in_an_appservice_namespace_when_its_ghost_creates_the_room() {
        TestClient.Reply r = post("/rooms", Map.of("creator", "@weather_rome:test", "alias", "weather_rome"));
        assertThat(r.str("canonical_alias")).isEqualTo("#weather_rome:test");
        inProcess.user("@weather_rome:test").createRoom(RoomOptions.create().alias("weather_rome"));
        assertThat(inProcess.room("#weather_rome:test").creator()).isEqualTo("@weather_rome:test");
    }

    @Test
    void refuses_a_room_alias_in_an_appservice_namespace_for_anyone_else_with_the_same_errcode_on_both_faces() {
        TestClient.Reply r = c.post("/_fakehs/v1/rooms").token("t")
                .json(Map.of("creator", "@alice:test", "alias", "weather_rome")).send();
        String inProcessErrcode;
        try {
            inProcess.user("@alice:test").createRoom(RoomOptions.create().alias("weather_rome"));
            inProcessErrcode = null;
        } catch (dev.fakehomeserver.events.InjectionRefusedException e) {
            inProcessErrcode = e.getErrcode();
        }
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo(inProcessErrcode).isEqualTo("M_EXCLUSIVE");
    }

    /** Each room as what a test reads, without the ids the two servers draw at random. */
    private static List<Object> rooms(Homeserver hs) {
        List<Object> out = new ArrayList<>();
        for (RoomView r : hs.rooms()) {
            List<Object> timeline = new ArrayList<>();
            for (EventView e : r.timeline()) {
                timeline.add(List.of(e.type(), e.sender(), String.valueOf(e.stateKey()), e.content(),
                        e.originServerTs(), e.unsigned().keySet()));
            }
            out.add(List.of(String.valueOf(r.name()), String.valueOf(r.topic()), String.valueOf(r.canonicalAlias()),
                    r.aliases(), r.memberships(), r.joinRule(), r.creator(), r.published(), timeline));
        }
        return out;
    }

    /** Each user without devices, which only the control API logs in. */
    private static List<Object> users(Homeserver hs) {
        List<Object> out = new ArrayList<>();
        for (UserView u : hs.users()) {
            out.add(List.of(u.userId(), String.valueOf(u.displayName()), String.valueOf(u.appserviceId()),
                    u.remote(), u.joinedRooms().size()));
        }
        return out;
    }
}
