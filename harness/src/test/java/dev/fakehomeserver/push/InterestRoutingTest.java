package dev.fakehomeserver.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.model.RoomService;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * spec-digest §3.2 and synapse-observed §7: which events reach an appservice. An event that does not arrive is
 * proved absent by a later event that does: a pusher keeps order, so once the later one arrived, the earlier one
 * would have too.
 */
class InterestRoutingTest {

    /** Sends a message that "weather" surely gets (its ghost in its own room) and waits for it. */
    private static void sentinel(PushFixture f) {
        String probe = f.ghost("weather_probe");
        String room = f.room(probe);
        String id = f.send(probe, room, "sentinel");
        org.awaitility.Awaitility.await().atMost(PushFixture.WAIT).until(() -> f.receivedEventIds().contains(id));
    }

    @Test
    void events_of_the_appservices_own_users_are_echoed_back() {
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            String id = f.send(bob, room, "mine");
            String botRoom = f.room("@weatherbot:test");
            f.awaitIdle();
            assertThat(f.receivedEventIds()).contains(id);
            assertThat(f.hs.transactions().records()).isNotEmpty();
            assertThat(f.as.transactions().stream().flatMap(r -> {
                java.util.List<String> rooms = new java.util.ArrayList<>();
                r.json().get("events").forEach(e -> rooms.add(e.path("room_id").asText()));
                return rooms.stream();
            })).contains(botRoom);
        }
    }

    @Test
    void events_in_a_room_without_any_appservice_user_are_not_pushed() {
        try (PushFixture f = new PushFixture()) {
            String alice = f.user("alice");
            String room = f.room(alice);
            String id = f.send(alice, room, "private");
            sentinel(f);
            assertThat(f.receivedEventIds()).doesNotContain(id);
        }
    }

    @Test
    void an_invite_of_a_namespaced_user_is_pushed_but_the_room_only_once_that_user_joined() {
        try (PushFixture f = new PushFixture()) {
            String alice = f.user("alice");
            String frank = f.ghost("weather_frank");
            String room = f.room(alice);
            f.invite(alice, frank, room);
            String before = f.send(alice, room, "before frank joined");
            f.join(frank, room);
            String during = f.send(alice, room, "while frank is here");
            f.leave(frank, room);
            String after = f.send(alice, room, "after frank left");
            sentinel(f);
            assertThat(f.receivedEventIds()).contains(during).doesNotContain(before, after);
            long memberships = f.as.transactions().stream().flatMap(r -> {
                java.util.List<String> keys = new java.util.ArrayList<>();
                r.json().get("events").forEach(e -> keys.add(e.path("state_key").asText()));
                return keys.stream();
            }).filter(frank::equals).count();
            assertThat(memberships).as("invite, join and leave of frank").isEqualTo(3);
        }
    }

    @Test
    void a_remote_users_event_reaches_the_appservice_when_a_local_namespaced_user_is_joined() {
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            String carol = f.s.accounts().ensureUser("@carol:elsewhere", null).userId();
            f.join(carol, room);
            String id = f.send(carol, room, "from afar");
            f.awaitIdle();
            assertThat(f.receivedEventIds()).contains(id);
        }
    }

    @Test
    void a_rooms_namespace_makes_every_event_of_a_matching_room_interesting() {
        try (PushFixture f = new PushFixture(r -> r.rooms("!.*:test", false), b -> b)) {
            String alice = f.user("alice");
            String id = f.send(alice, f.room(alice), "any room");
            f.awaitIdle();
            assertThat(f.receivedEventIds()).contains(id);
        }
    }

    @Test
    void a_local_alias_in_the_alias_namespace_makes_the_room_interesting() {
        try (PushFixture f = new PushFixture(r -> r.aliases("#bridged_.*:test", false), b -> b)) {
            String alice = f.user("alice");
            String plain = f.room(alice);
            String aliased = f.s.rooms().createRoom(PushFixture.who(alice), new RoomService.CreateRoom("public_chat",
                    null, null, null, null, null, "bridged_lobby", false, null, null, null));
            String notPushed = f.send(alice, plain, "plain");
            String pushed = f.send(alice, aliased, "aliased");
            f.awaitIdle();
            assertThat(f.receivedEventIds()).contains(pushed).doesNotContain(notPushed);
        }
    }

    @Test
    void every_interested_appservice_gets_the_event_whatever_the_exclusivity() {
        try (dev.fakehomeserver.testing.ScriptedAppservice second = dev.fakehomeserver.testing.ScriptedAppservice.start();
             PushFixture f = new PushFixture(r -> r, b -> b.registration(dev.fakehomeserver.Registration
                     .builder("watcher").url(second.url()).senderLocalpart("watcher")
                     .users("@weather_.*:test", false).build()))) {
            String bob = f.ghost("weather_bob");
            String id = f.send(bob, f.room(bob), "to both");
            f.awaitIdle();
            org.awaitility.Awaitility.await().atMost(PushFixture.WAIT).until(() -> second.transactions().stream()
                    .anyMatch(r -> r.eventIds().contains(id)));
            assertThat(f.receivedEventIds()).contains(id);
        }
    }

    @Test
    void state_events_sent_by_anyone_are_pushed_for_a_room_with_a_joined_ghost() {
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            String alice = f.user("alice");
            f.join(alice, room);
            String topic = f.s.rooms().setState(PushFixture.who(bob), room, "m.room.topic", "",
                    Json.object().put("topic", "rain"), null);
            f.awaitIdle();
            assertThat(f.receivedEventIds()).contains(topic);
        }
    }

    @Test
    void an_appservice_added_at_runtime_gets_the_events_of_its_users_and_of_rooms_they_joined_before() {
        try (PushFixture f = new PushFixture();
             dev.fakehomeserver.testing.ScriptedAppservice bridgeAs = dev.fakehomeserver.testing.ScriptedAppservice.start()) {
            String alice = f.user("alice");
            String carol = f.user("bridge_carol"); // an ordinary user while no registration claims the name
            String room = f.room(alice);
            f.join(carol, room);
            String before = f.send(alice, room, "before the bridge was registered");

            f.hs.addRegistration(dev.fakehomeserver.Registration.builder("bridge").url(bridgeAs.url())
                    .senderLocalpart("bridgebot").users("@bridge_.*:test", false).build());
            String fromAlice = f.send(alice, room, "a room with a joined bridge user");
            String fromCarol = f.send(carol, f.room(carol), "a bridge user's own room");

            org.awaitility.Awaitility.await().atMost(PushFixture.WAIT).until(() -> bridgeAs.transactions().stream()
                    .flatMap(r -> r.eventIds().stream()).toList().containsAll(List.of(fromAlice, fromCarol)));
            assertThat(bridgeAs.transactions().stream().flatMap(r -> r.eventIds().stream())).doesNotContain(before);
        }
    }
}
