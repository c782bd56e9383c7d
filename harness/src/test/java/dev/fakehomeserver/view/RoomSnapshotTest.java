package dev.fakehomeserver.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.testing.TestRegistrations;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Room snapshots reuse the views of events that have not changed (an {@code eventually()} check snapshots its
 * room again and again), and every snapshot still shows the room as it was when it was taken.
 */
class RoomSnapshotTest {
    private Homeserver hs;
    private Actor alice;
    private String room;

    @BeforeEach
    void start() {
        hs = Homeserver.builder().registration(TestRegistrations.weather()).start();
        alice = hs.user("@alice:test");
        room = alice.createRoom(RoomOptions.create().name("Lobby").preset(RoomOptions.PUBLIC_CHAT));
    }

    @AfterEach
    void stop() {
        hs.close();
    }

    @Test
    void an_unchanged_event_keeps_its_view_and_a_later_one_gets_its_own() {
        String first = alice.send(room, "one");
        RoomView before = hs.room(room);
        String second = alice.send(room, "two");
        RoomView after = hs.room(room);

        assertThat(after.timeline()).hasSize(before.timeline().size() + 1);
        for (int i = 0; i < before.timeline().size(); i++) {
            assertThat(after.timeline().get(i)).isSameAs(before.timeline().get(i));
        }
        assertThat(before.timeline()).extracting(EventView::eventId).contains(first).doesNotContain(second);
        assertThat(after.timeline().get(after.timeline().size() - 1).eventId()).isEqualTo(second);
        assertThat(after.timeline().get(after.timeline().size() - 1).content()).containsEntry("body", "two");
    }

    @Test
    void a_redaction_shows_in_the_next_snapshot_and_not_in_the_one_before() {
        String hello = alice.send(room, "hello");
        RoomView before = hs.room(room);
        alice.redact(room, hello, "spam");
        RoomView after = hs.room(room);

        EventView was = before.timeline().stream().filter(e -> e.eventId().equals(hello)).findFirst().orElseThrow();
        EventView now = after.timeline().stream().filter(e -> e.eventId().equals(hello)).findFirst().orElseThrow();
        assertThat(was.redacted()).isFalse();
        assertThat(was.content()).containsEntry("body", "hello");
        assertThat(now.redacted()).isTrue();
        assertThat(now.content()).isEmpty();
        assertThat(now.unsigned()).containsKey("redacted_because");
    }

    @Test
    void a_state_change_replaces_the_state_view_and_keeps_the_rest() {
        RoomView before = hs.room(room);
        alice.setState(room, "m.room.name", "", Map.of("name", "Hall"));
        RoomView after = hs.room(room);

        assertThat(before.name()).isEqualTo("Lobby");
        assertThat(after.name()).isEqualTo("Hall");
        assertThat(after.state("m.room.name", "").orElseThrow().content()).containsEntry("name", "Hall");
        assertThat(before.state("m.room.name", "").orElseThrow().content()).containsEntry("name", "Lobby");
        assertThat(after.state("m.room.create", "").orElseThrow())
                .isSameAs(before.state("m.room.create", "").orElseThrow());
        assertThat(after.state()).hasSameSizeAs(before.state());
    }

    @Test
    void a_reset_forgets_the_rooms_and_a_new_room_starts_from_nothing() {
        alice.send(room, "before the reset");
        hs.room(room);
        hs.reset();

        assertThat(hs.rooms()).isEmpty();
        String fresh = hs.user("@alice:test").createRoom();
        assertThat(hs.room(fresh).timeline()).extracting(EventView::type).doesNotContain("m.room.message")
                .contains("m.room.create");
    }

    @Test
    void a_snapshot_is_read_only_and_answers_lookups_of_nothing() {
        alice.send(room, "one");
        RoomView view = hs.room(room);

        assertThat(view.timeline().contains(null)).isFalse();
        assertThat(view.state().contains(null)).isFalse();
        assertThatThrownBy(() -> view.timeline().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> view.state().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void a_long_timeline_then_a_short_one_in_another_room_are_each_shown_whole() {
        for (int i = 0; i < 200; i++) {
            alice.send(room, "m" + i);
        }
        RoomView big = hs.room(room);
        String small = alice.createRoom();
        alice.send(small, "only");

        assertThat(big.timeline()).filteredOn(e -> "m.room.message".equals(e.type())).hasSize(200);
        assertThat(hs.room(small).timeline()).filteredOn(e -> "m.room.message".equals(e.type()))
                .extracting(e -> e.content().get("body")).containsExactly("only");
        assertThat(hs.rooms()).extracting(RoomView::roomId).containsExactly(room, small);
    }
}
