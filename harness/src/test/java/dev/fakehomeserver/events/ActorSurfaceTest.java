package dev.fakehomeserver.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.testing.TestRegistrations;
import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.RoomView;
import dev.fakehomeserver.view.UserView;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The parts of the actor API the control API is built on: timestamps, logins, raw memberships, members. */
class ActorSurfaceTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @AutoClose
    private final Homeserver hs = Homeserver.builder().registration(TestRegistrations.weather())
            .clock(new VirtualClock(T0)).start();

    @Test
    void at_stamps_messages_and_state_with_the_given_time_and_leaves_the_clock_alone() {
        Actor alice = hs.user("@alice:test");
        String room = alice.createRoom();
        String sent = alice.at(1_000L).send(room, "old news");
        String topic = alice.at(2_000L).setState(room, "m.room.topic", "", Map.of("topic", "t"));
        String now = alice.send(room, "fresh");

        assertThat(hs.event(sent).orElseThrow().originServerTs()).isEqualTo(1_000L);
        assertThat(hs.event(topic).orElseThrow().originServerTs()).isEqualTo(2_000L);
        assertThat(hs.event(now).orElseThrow().originServerTs()).isEqualTo(T0.toEpochMilli());
    }

    @Test
    void login_makes_a_new_device_each_time_whose_token_works_on_the_client_api() {
        Actor alice = hs.user("@alice:test");
        Actor.Login phone = alice.login("phone");
        Actor.Login laptop = alice.login(null);

        assertThat(phone.deviceId()).isNotEqualTo(laptop.deviceId());
        assertThat(alice.view().devices()).extracting(UserView.Device::deviceId)
                .contains(phone.deviceId(), laptop.deviceId());
        TestClient.Reply whoami = new TestClient(hs.url()).get("/_matrix/client/v3/account/whoami")
                .token(phone.accessToken()).send();
        assertThat(whoami.str("device_id")).isEqualTo(phone.deviceId());
        assertThat(phone.toString()).doesNotContain(phone.accessToken());
    }

    @Test
    void refuses_a_login_for_a_remote_user() {
        assertThatThrownBy(() -> hs.user("@bob:elsewhere").login(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("remote user");
    }

    @Test
    void membership_appends_the_content_as_given_and_an_invite_carries_stripped_state() {
        Actor alice = hs.user("@alice:test");
        String room = alice.createRoom(RoomOptions.create().name("Lobby"));
        String invite = alice.membership(room, "@carol:test", Map.of("membership", "invite", "reason", "hi"));

        EventView e = hs.event(invite).orElseThrow();
        assertThat(e.content()).containsEntry("membership", "invite").containsEntry("reason", "hi");
        assertThat(e.unsigned()).containsKey("invite_room_state");
        assertThat(hs.room(room).membership("@carol:test")).isEqualTo("invite");
    }

    @Test
    void members_are_invited_into_a_private_room_then_joined_and_listed_in_their_views() {
        String room = hs.user("@alice:test").createRoom(RoomOptions.create().members("@bob:test", "@zoe:elsewhere"));

        RoomView view = hs.room(room);
        assertThat(view.joinedMembers()).containsExactly("@alice:test", "@bob:test", "@zoe:elsewhere");
        assertThat(view.joinRule()).isEqualTo("invite");
        assertThat(view.creator()).isEqualTo("@alice:test");
        assertThat(view.published()).isFalse();
        assertThat(hs.findUser("@bob:test").orElseThrow().joinedRooms()).containsExactly(room);
    }

    @Test
    void has_room_answers_for_ids_and_aliases_without_copying_the_room() {
        String room = hs.user("@alice:test").createRoom(RoomOptions.create().alias("lobby").publish(true));

        assertThat(hs.hasRoom(room)).isTrue();
        assertThat(hs.hasRoom("#lobby:test")).isTrue();
        assertThat(hs.hasRoom("#nope:test")).isFalse();
        assertThat(hs.hasRoom("!nope:test")).isFalse();
        assertThat(hs.room(room).published()).isTrue();
    }

    @Test
    void a_refusal_carries_the_bare_error_text_beside_status_and_errcode() {
        String room = hs.user("@alice:test").createRoom();
        InjectionRefusedException e = org.junit.jupiter.api.Assertions.assertThrows(InjectionRefusedException.class,
                () -> hs.user("@eve:test").send(room, "hi"));

        assertThat(e.getStatus()).isEqualTo(403);
        assertThat(e.getErrcode()).isEqualTo("M_FORBIDDEN");
        assertThat(e.getMessage()).isEqualTo("M_FORBIDDEN (403): " + e.getError());
        assertThat(e.getError()).doesNotStartWith("M_FORBIDDEN");
    }

    @Test
    void refuses_a_user_id_without_a_server_part() {
        assertThatThrownBy(() -> hs.user("@alice:")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Not a user id: '@alice:' (expected @localpart:server)");
    }
}
