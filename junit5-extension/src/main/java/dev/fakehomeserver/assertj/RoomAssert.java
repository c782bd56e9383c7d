package dev.fakehomeserver.assertj;

import dev.fakehomeserver.expect.WhatTheFakeSaw;
import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.RoomView;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Assertions on one room, named by id or local alias, reached with {@code assertThat(hs).room(...)}. The
 * {@code actual} value is the room's snapshot when the assertion was made (null when there was no such room); every
 * assertion method reads the live room, and {@link #isNotNull()} means {@link #exists()}.
 *
 * <pre>{@code
 * assertThat(hs).eventually().room("#weather_paris:test")
 *         .hasMember("@weather_paris:test")
 *         .hasState("m.room.topic", "")
 *         .timeline().containsMessageFrom("@weather_paris:test", "Paris: sunny");
 * }</pre>
 *
 * <p>When the member awaited belongs to an appservice, a failure also shows that appservice's section: its push
 * state, its last transactions with their answers, and whether the event it had to see (the invite) was pushed.
 */
public final class RoomAssert extends AbstractProbeAssert<RoomAssert, RoomView> {
    private final String ref;

    RoomAssert(Probe probe, String roomIdOrAlias) {
        super(probe, probe.hs.findRoom(roomIdOrAlias).orElse(null), RoomAssert.class);
        this.ref = roomIdOrAlias;
    }

    @Override
    RoomAssert with(Probe p) {
        return new RoomAssert(p, ref);
    }

    /** The room's timeline. */
    public TimelineAssert timeline() {
        return new TimelineAssert(probe, ref);
    }

    /** The room exists. */
    public RoomAssert exists() {
        return onRoom(room -> null);
    }

    /** The room exists (the same as {@link #exists()}, waiting like it). */
    @Override
    public RoomAssert isNotNull() {
        return exists();
    }

    /** The user's membership is {@code join}. */
    public RoomAssert hasMember(String userId) {
        return hasMembership(userId, "join");
    }

    /** The user's membership is this one ({@code join}, {@code invite}, {@code leave}, {@code ban}, {@code knock}). */
    public RoomAssert hasMembership(String userId, String membership) {
        return onRoom(room -> {
            String m = room.membership(userId);
            if (membership.equals(m)) {
                return null;
            }
            return "Expecting room " + ref + " to have " + userId + " with membership " + membership + "\n"
                    + "but " + (m == null ? "the user never had a membership there" : "it is " + m) + ".\n"
                    + seen(room, userId) + "\n" + WhatTheFakeSaw.list("Memberships", room.memberships().entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue()).toList())
                    + seen.appserviceSectionFor(userId, lastAbout(room, userId));
        });
    }

    /** The user has no membership {@code join}: never joined, left, was kicked or banned. */
    public RoomAssert doesNotHaveMember(String userId) {
        return onRoom(room -> !"join".equals(room.membership(userId)) ? null
                : "Expecting room " + ref + " not to have " + userId + " as a member\nbut the user is joined.\n"
                + seen(room, userId));
    }

    /** A current state event of this type and key exists. */
    public RoomAssert hasState(String type, String stateKey) {
        return onRoom(room -> room.state(type, stateKey).isPresent() ? null
                : "Expecting room " + ref + " to have state (" + type + ", \"" + stateKey + "\")\n"
                + "but it has none.\n" + seen(room, null) + "\n"
                + WhatTheFakeSaw.list("State keys of that type", room.state().stream().filter(e -> e.type().equals(type))
                        .map(e -> "\"" + e.stateKey() + "\"").toList()));
    }

    /** The {@code m.room.name} is this. */
    public RoomAssert hasName(String name) {
        return onRoom(room -> name.equals(room.name()) ? null
                : "Expecting room " + ref + " to be named \"" + name + "\"\nbut its name is "
                + (room.name() == null ? "not set" : "\"" + room.name() + "\"") + ".\n" + seen(room, null));
    }

    /** The {@code m.room.topic} is this. */
    public RoomAssert hasTopic(String topic) {
        return onRoom(room -> topic.equals(room.topic()) ? null
                : "Expecting room " + ref + " to have topic \"" + topic + "\"\nbut its topic is "
                + (room.topic() == null ? "not set" : "\"" + room.topic() + "\"") + ".\n" + seen(room, null));
    }

    /** The last event about this user's membership (an invite, typically), else the last event from another. */
    private EventView lastAbout(RoomView room, String userId) {
        List<EventView> tl = room.timeline();
        for (int i = tl.size() - 1; i >= 0; i--) {
            if ("m.room.member".equals(tl.get(i).type()) && userId.equals(tl.get(i).stateKey())) {
                return tl.get(i);
            }
        }
        return seen.lastEventNotFromOwnerOf(room, userId);
    }

    private String seen(RoomView room, String user) {
        return "What the fake saw:\n" + WhatTheFakeSaw.timeline(room) + (user == null ? "" : "\n" + seen.journalOfUser(user));
    }

    private RoomAssert onRoom(Function<RoomView, String> onRoom) {
        return check(() -> {
            Optional<RoomView> room = probe.hs.findRoom(ref);
            return room.isPresent() ? onRoom.apply(room.get()) : seen.roomMissing(ref);
        });
    }
}
