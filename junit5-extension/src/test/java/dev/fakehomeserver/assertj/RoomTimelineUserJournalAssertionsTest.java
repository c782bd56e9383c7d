package dev.fakehomeserver.assertj;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.view.RoomView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each public assertion of rooms, timelines, users and the journal, once passing and once failing with the first
 * lines of its message (the whole messages are golden files in {@link AssertionMessagesTest} and
 * {@link AppserviceSectionTest}).
 */
class RoomTimelineUserJournalAssertionsTest {
    private Homeserver hs;
    private String room;

    @BeforeEach
    void start() {
        hs = Homeserver.builder().registration(Registration.builder("weather").senderLocalpart("weatherbot")
                .users("@weather_.*:test", true).build()).start();
        var alice = hs.user("@alice:test");
        room = alice.createRoom(RoomOptions.create().alias("lobby").name("Lobby").topic("chat")
                .preset(RoomOptions.PUBLIC_CHAT));
        hs.user("@weather_paris:test").displayName("Weather Paris").avatarUrl("mxc://test/sun").join(room);
        alice.send(room, "!weather Paris");
        hs.user("@weather_paris:test").send(room, "Paris: sunny");
        hs.user("@weather_paris:test").send(room, "Paris: rainy");
        hs.user("@bob:test").join(room);
        hs.user("@bob:test").leave(room);
    }

    @AfterEach
    void stop() {
        hs.close();
    }

    // ---- rooms -------------------------------------------------------------------------------------------------

    @Test
    void room_asserts_on_the_room_snapshot_and_is_not_null_means_it_exists() {
        assertThat(hs).room("#lobby:test").exists().isNotNull()
                .satisfies(r -> org.assertj.core.api.Assertions.assertThat(r.roomId()).isEqualTo(room));
        org.assertj.core.api.Assertions.assertThat(assertThat(hs).room(room).actual()).isInstanceOf(RoomView.class);
        assertThatThrownBy(() -> assertThat(hs).room("#nowhere:test").isNotNull())
                .hasMessageStartingWith("Expecting room #nowhere:test to exist\nbut the fake has no such room.");
        assertThatThrownBy(() -> assertThat(hs).room("#nowhere:test").exists())
                .hasMessageContaining("Rooms:\n  " + room);
    }

    @Test
    void has_member_and_has_membership_read_the_membership() {
        assertThat(hs).room(room).hasMember("@weather_paris:test").hasMembership("@bob:test", "leave");
        assertThatThrownBy(() -> assertThat(hs).room(room).hasMembership("@bob:test", "join"))
                .hasMessageStartingWith("Expecting room " + room + " to have @bob:test with membership join\n"
                        + "but it is leave.");
    }

    @Test
    void does_not_have_member_fails_for_a_joined_user() {
        assertThat(hs).room(room).doesNotHaveMember("@bob:test").doesNotHaveMember("@nobody:test");
        assertThatThrownBy(() -> assertThat(hs).room(room).doesNotHaveMember("@alice:test"))
                .hasMessageStartingWith("Expecting room " + room + " not to have @alice:test as a member\n"
                        + "but the user is joined.");
    }

    @Test
    void has_state_name_and_topic_read_the_current_state() {
        assertThat(hs).room(room).hasState("m.room.topic", "").hasName("Lobby").hasTopic("chat");
        assertThatThrownBy(() -> assertThat(hs).room(room).hasState("m.room.topic", "x"))
                .hasMessageStartingWith("Expecting room " + room + " to have state (m.room.topic, \"x\")\nbut it has none.")
                .hasMessageEndingWith("State keys of that type:\n  \"\"\n" + hs.replayHint());
        assertThatThrownBy(() -> assertThat(hs).room(room).hasName("Hall"))
                .hasMessageStartingWith("Expecting room " + room + " to be named \"Hall\"\nbut its name is \"Lobby\".");
        assertThatThrownBy(() -> assertThat(hs).room(room).hasTopic("news"))
                .hasMessageStartingWith("Expecting room " + room + " to have topic \"news\"\nbut its topic is \"chat\".");
    }

    // ---- timelines ---------------------------------------------------------------------------------------------

    @Test
    void contains_finds_messages_and_events() {
        assertThat(hs).room(room).timeline()
                .containsMessageFrom("@weather_paris:test", "Paris: sunny")
                .containsMessage("!weather Paris")
                .containsEventOfType("m.room.topic")
                .containsEventMatching("a leave", e -> "leave".equals(e.membership()));
        assertThatThrownBy(() -> assertThat(hs).room(room).timeline().containsMessage("Oslo: snow"))
                .hasMessageStartingWith("Expecting the timeline of room " + room
                        + " to contain a message with body \"Oslo: snow\"\nbut it has none.");
        assertThatThrownBy(() -> assertThat(hs).room(room).timeline().containsEventOfType("m.room.avatar"))
                .hasMessageStartingWith("Expecting the timeline of room " + room
                        + " to contain an event of type m.room.avatar\nbut it has none.");
    }

    @Test
    void contains_messages_in_order_allows_others_between_but_not_another_order() {
        assertThat(hs).room(room).timeline().containsMessagesInOrder("!weather Paris", "Paris: rainy");
        assertThatThrownBy(() -> assertThat(hs).room(room).timeline()
                .containsMessagesInOrder("Paris: rainy", "Paris: sunny"))
                .hasMessageStartingWith("Expecting the timeline of room " + room
                        + " to contain the messages [\"Paris: rainy\", \"Paris: sunny\"] in this order\n"
                        + "but no message \"Paris: sunny\" comes after \"Paris: rainy\".");
        assertThatThrownBy(() -> assertThat(hs).room(room).timeline().containsMessagesInOrder("Oslo"))
                .hasMessageContaining("but it has no message \"Oslo\".");
    }

    @Test
    void contains_exactly_messages_from_wants_all_of_them_and_no_other() {
        assertThat(hs).room(room).timeline()
                .containsExactlyMessagesFrom("@weather_paris:test", "Paris: sunny", "Paris: rainy")
                .containsExactlyMessagesFrom("@bob:test");
        assertThatThrownBy(() -> assertThat(hs).room(room).timeline()
                .containsExactlyMessagesFrom("@weather_paris:test", "Paris: sunny"))
                .hasMessageStartingWith("Expecting the timeline of room " + room
                        + " to contain exactly the messages [\"Paris: sunny\"] from @weather_paris:test\n"
                        + "but its messages from @weather_paris:test are [\"Paris: sunny\", \"Paris: rainy\"].");
    }

    @Test
    void does_not_contain_fails_with_what_it_found() {
        assertThat(hs).room(room).timeline()
                .doesNotContainMessageFrom("@bob:test")
                .doesNotContainMessageFrom("@weather_paris:test", "Paris: snow")
                .doesNotContainEventMatching("a ban", e -> "ban".equals(e.membership()));
        assertThatThrownBy(() -> assertThat(hs).room(room).timeline().doesNotContainMessageFrom("@weather_paris:test"))
                .hasMessageStartingWith("Expecting the timeline of room " + room
                        + " not to contain a message from @weather_paris:test\nbut it has 2.")
                .hasMessageContaining("Found:\n  $");
        assertThatThrownBy(() -> assertThat(hs).room(room).timeline()
                .doesNotContainMessageFrom("@weather_paris:test", "Paris: sunny"))
                .hasMessageContaining("but it has one.");
        assertThatThrownBy(() -> assertThat(hs).room(room).timeline()
                .doesNotContainEventMatching("a topic", e -> e.type().equals("m.room.topic")))
                .hasMessageContaining("not to contain a topic\nbut it has one.");
    }

    // ---- users -------------------------------------------------------------------------------------------------

    @Test
    void user_assertions_read_the_profile_and_the_owner() {
        assertThat(hs).user("@weather_paris:test").isNotNull().isRegistered().hasDisplayName("Weather Paris")
                .hasAvatarUrl("mxc://test/sun").belongsToAppservice("weather");
        assertThat(hs).user("@nobody:test").isNotRegistered();
        assertThatThrownBy(() -> assertThat(hs).user("@alice:test").isNotRegistered())
                .hasMessageStartingWith("Expecting user @alice:test not to be registered\nbut the fake knows it:");
        assertThatThrownBy(() -> assertThat(hs).user("@nobody:test").isNotNull())
                .hasMessageStartingWith("Expecting user @nobody:test to be registered\nbut the fake does not know it.");
        assertThatThrownBy(() -> assertThat(hs).user("@alice:test").hasAvatarUrl("mxc://test/a"))
                .hasMessageStartingWith("Expecting user @alice:test to have avatar mxc://test/a\nbut it is not set.");
        assertThatThrownBy(() -> assertThat(hs).user("@alice:test").hasDisplayName("Alice"))
                .hasMessageStartingWith("Expecting user @alice:test to have display name \"Alice\"\nbut it is \"alice\".");
        assertThatThrownBy(() -> assertThat(hs).user("@alice:test").belongsToAppservice("weather"))
                .hasMessageStartingWith("Expecting user @alice:test to belong to appservice weather\n"
                        + "but it belongs to none.");
        hs.user("@bob:elsewhere").join(room);
        assertThatThrownBy(() -> assertThat(hs).user("@bob:elsewhere").isRegistered())
                .hasMessageStartingWith("Expecting user @bob:elsewhere to be registered\nbut it is a remote user.");
    }

    // ---- the journal and violations ----------------------------------------------------------------------------

    @Test
    void journal_assertions_match_method_path_and_user() throws Exception {
        String token = hs.user("@alice:test").accessToken();
        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(URI.create(hs.url() + "/_matrix/client/v3/account/whoami"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(hs).journal().hasRequest("GET", "/account/whoami").hasRequestFrom("@alice:test", "*", "/account/*")
                .hasNoRequest("PUT", "/rooms/{roomId}/send/*").hasNoViolations();
        assertThatThrownBy(() -> assertThat(hs).journal().hasRequest("POST", "/register"))
                .hasMessageStartingWith("Expecting the journal to have a request POST /register\nbut it has none.");
        assertThatThrownBy(() -> assertThat(hs).journal().hasNoRequest("GET", "/account/whoami"))
                .hasMessageStartingWith("Expecting the journal to have no request GET /account/whoami\nbut it has 1.");
        assertThatThrownBy(() -> assertThat(hs).journal().hasRequestFrom("@bob:test", "GET", "/account/whoami"))
                .hasMessageStartingWith("Expecting the journal to have a request GET /account/whoami as @bob:test\n"
                        + "but it has none.");
    }

    @Test
    void violation_assertions_read_the_refused_requests() throws Exception {
        assertThat(hs).hasNoViolations();
        assertThatThrownBy(() -> assertThat(hs).journal().hasViolation("M_UNKNOWN_TOKEN"))
                .hasMessageStartingWith("Expecting the fake to have refused a request with M_UNKNOWN_TOKEN\n"
                        + "but it did not.");
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hs.url() + "/_matrix/client/v3/account/whoami"))
                .header("Authorization", "Bearer nope").build(), HttpResponse.BodyHandlers.discarding());
        assertThat(hs).journal().hasViolation("M_UNKNOWN_TOKEN");
        assertThatThrownBy(() -> assertThat(hs).hasNoViolations())
                .hasMessageStartingWith("Expecting the fake to have refused no request\nbut it refused 1.");
    }

    @Test
    void the_homeserver_assert_is_on_the_server_and_navigates() {
        assertThat(hs).isSameAs(hs).eventually().room(room).hasMember("@alice:test");
        assertThat(hs).eventually(java.time.Duration.ofMillis(10)).user("@alice:test").isRegistered();
        assertThat(hs).room(room).eventually().timeline().eventually(java.time.Duration.ofMillis(10))
                .containsMessage("Paris: sunny");
        assertThat(hs).user("@alice:test").eventually().isRegistered();
        assertThat(hs).journal().eventually().hasNoViolations();
    }
}
