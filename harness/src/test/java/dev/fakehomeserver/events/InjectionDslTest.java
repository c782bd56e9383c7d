package dev.fakehomeserver.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.testing.TestRegistrations;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.RoomView;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InjectionDslTest {
    private final Registration weather = TestRegistrations.weather();
    private Homeserver hs;

    @BeforeEach
    void start() {
        hs = Homeserver.builder().registration(weather).start();
    }

    @AfterEach
    void stop() {
        hs.close();
    }

    @Test
    void creates_a_room_with_name_topic_alias_and_invite_and_shows_it_in_the_view() {
        String room = hs.user("@alice:test").createRoom(RoomOptions.create().name("Lobby").topic("Say hi")
                .alias("lobby").preset(RoomOptions.PUBLIC_CHAT).invite("@carol:test"));

        RoomView view = hs.room("#lobby:test");
        assertThat(view.roomId()).isEqualTo(room);
        assertThat(view.name()).isEqualTo("Lobby");
        assertThat(view.topic()).isEqualTo("Say hi");
        assertThat(view.canonicalAlias()).isEqualTo("#lobby:test");
        assertThat(view.aliases()).containsExactly("#lobby:test");
        assertThat(view.joinedMembers()).containsExactly("@alice:test");
        assertThat(view.membership("@carol:test")).isEqualTo("invite");
        assertThat(view.state("m.room.join_rules", "")).get()
                .extracting(e -> e.content().get("join_rule")).isEqualTo("public");
    }

    @Test
    void sends_text_notice_emote_and_image_messages_with_the_right_content() {
        var alice = hs.user("@alice:test");
        String room = alice.createRoom();
        String text = alice.send(room, "hello");
        alice.notice(room, "a notice");
        alice.emote(room, "waves");
        alice.image(room, "mxc://test/abc", "cat.png", "image/png");

        assertThat(hs.room(room).messages()).extracting(EventView::msgtype, EventView::body)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("m.text", "hello"),
                        org.assertj.core.groups.Tuple.tuple("m.notice", "a notice"),
                        org.assertj.core.groups.Tuple.tuple("m.emote", "waves"),
                        org.assertj.core.groups.Tuple.tuple("m.image", "cat.png"));
        EventView sent = hs.event(text).orElseThrow();
        assertThat(sent.sender()).isEqualTo("@alice:test");
        assertThat(hs.room(room).messages().get(3).content()).containsEntry("url", "mxc://test/abc")
                .containsEntry("info", Map.of("mimetype", "image/png"));
    }

    @Test
    void lets_a_remote_user_join_a_public_room_without_federation() {
        String room = hs.user("@alice:test").createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
        var bob = hs.user("@bob:elsewhere");
        bob.join(room);
        bob.send(room, "hi from elsewhere");

        assertThat(hs.room(room).joinedMembers()).containsExactly("@alice:test", "@bob:elsewhere");
        assertThat(hs.findUser("@bob:elsewhere").orElseThrow().remote()).isTrue();
        assertThat(hs.room(room).messages()).extracting(EventView::sender).containsExactly("@bob:elsewhere");
    }

    @Test
    void refuses_a_remote_user_joining_a_private_room_uninvited_with_M_FORBIDDEN() {
        String room = hs.user("@alice:test").createRoom();

        assertThatThrownBy(() -> hs.user("@bob:elsewhere").join(room))
                .isInstanceOf(InjectionRefusedException.class)
                .hasFieldOrPropertyWithValue("errcode", "M_FORBIDDEN")
                .hasFieldOrPropertyWithValue("status", 403);
    }

    @Test
    void lets_an_invited_user_join_a_private_room_and_leave_it() {
        var alice = hs.user("@alice:test");
        String room = alice.createRoom();
        alice.invite(room, "@bob:elsewhere");
        hs.user("@bob:elsewhere").join(room);
        hs.user("@bob:elsewhere").leave(room);

        assertThat(hs.room(room).membership("@bob:elsewhere")).isEqualTo("leave");
    }

    @Test
    void refuses_sending_into_a_room_the_user_is_not_in() {
        String room = hs.user("@alice:test").createRoom();

        assertThatThrownBy(() -> hs.user("@eve:test").send(room, "hi"))
                .isInstanceOf(InjectionRefusedException.class)
                .hasMessageContaining("M_FORBIDDEN").hasMessageContaining("not in room");
    }

    @Test
    void sets_state_and_custom_content_through_the_append_path() {
        var alice = hs.user("@alice:test");
        String room = alice.createRoom();
        alice.setState(room, "org.example.config", "", Map.of("level", 3, "tags", java.util.List.of("a", "b")));
        alice.sendContent(room, "org.example.ping", Map.of("n", 1));

        RoomView view = hs.room(room);
        assertThat(view.state("org.example.config", "")).get().extracting(EventView::content)
                .isEqualTo(Map.of("level", 3, "tags", java.util.List.of("a", "b")));
        assertThat(view.timeline()).last().extracting(EventView::type).isEqualTo("org.example.ping");
        assertThat(view.timeline()).extracting(EventView::streamPosition).isSorted();
    }

    @Test
    void gives_a_ghost_in_an_exclusive_namespace_to_its_appservice_and_lets_it_use_the_appservice_aliases() {
        var ghost = hs.user("@weather_paris:test").displayName("Weather Paris");
        ghost.createRoom(RoomOptions.create().alias("#weather_paris:test"));

        assertThat(hs.findUser("@weather_paris:test").orElseThrow().appserviceId()).isEqualTo("weather");
        assertThat(hs.findUser("@weather_paris:test").orElseThrow().displayName()).isEqualTo("Weather Paris");
        assertThat(hs.room("#weather_paris:test").joinedMembers()).containsExactly("@weather_paris:test");
    }

    @Test
    void gives_a_local_user_an_access_token_that_works_on_the_client_api() {
        var alice = hs.user("@alice:test");
        var reply = new TestClient(hs.url()).get("/_matrix/client/v3/account/whoami").token(alice.accessToken()).send();

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.str("user_id")).isEqualTo("@alice:test");
        assertThat(alice.accessToken()).isEqualTo(alice.accessToken());
        assertThat(alice.view().devices()).extracting(d -> d.deviceId()).containsExactly(alice.deviceId());
    }

    @Test
    void refuses_an_access_token_for_a_remote_user() {
        assertThatThrownBy(() -> hs.user("@bob:elsewhere").accessToken())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("remote user");
    }

    @Test
    void recreates_an_actor_user_after_a_reset() {
        var alice = hs.user("@alice:test");
        String before = alice.accessToken();
        hs.reset();

        String room = alice.createRoom();
        assertThat(hs.findUser("@alice:test")).isPresent();
        assertThat(hs.room(room).joinedMembers()).containsExactly("@alice:test");
        assertThat(alice.accessToken()).isNotEqualTo(before);
    }

    @Test
    void keeps_views_frozen_when_the_room_changes_later() {
        var alice = hs.user("@alice:test");
        String room = alice.createRoom();
        RoomView before = hs.room(room);
        alice.send(room, "later");

        assertThat(before.messages()).isEmpty();
        assertThat(hs.room(room).messages()).hasSize(1);
        assertThatThrownBy(() -> before.timeline().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void redacts_through_the_same_path_as_the_client_api() {
        var alice = hs.user("@alice:test");
        String room = alice.createRoom();
        String ev = alice.send(room, "secret");

        String redaction = alice.redact(room, ev, "oops");

        assertThat(hs.event(redaction).orElseThrow().type()).isEqualTo("m.room.redaction");
        assertThat(hs.event(ev).orElseThrow().content()).doesNotContainKey("body");
    }

    @Test
    void typing_and_receipts_need_membership_and_presence_is_readable_over_http() {
        var alice = hs.user("@alice:test");
        var bob = hs.user("@bob:test");
        String room = alice.createRoom();
        String ev = alice.send(room, "x");

        alice.typing(room, true);
        alice.receipt(room, ev);
        alice.presence("unavailable");

        assertThatThrownBy(() -> bob.typing(room, true)).isInstanceOf(InjectionRefusedException.class);
        var reply = new dev.fakehomeserver.testing.TestClient(hs.url())
                .get("/_matrix/client/v3/presence/@alice:test/status").token(alice.accessToken()).send();
        assertThat(reply.str("presence")).isEqualTo("unavailable");
    }
}
