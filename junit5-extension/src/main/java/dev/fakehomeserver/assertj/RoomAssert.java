package dev.fakehomeserver.assertj;

import dev.fakehomeserver.view.RoomView;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one room, named by id or local alias (the {@code actual} value). Reached with
 * {@code assertThat(hs).room(...)}.
 *
 * <pre>{@code
 * assertThat(hs).eventually().room("#weather_paris:test")
 *         .hasMember("@weather_paris:test")
 *         .hasState("m.room.topic", "")
 *         .timeline().containsMessageFrom("@weather_paris:test", "Paris: sunny");
 * }</pre>
 */
public final class RoomAssert extends AbstractAssert<RoomAssert, String> {
    private final Probe probe;

    RoomAssert(Probe probe, String roomIdOrAlias) {
        super(roomIdOrAlias, RoomAssert.class);
        this.probe = probe;
    }

    /** Waits up to the server's default for each following assertion. */
    public RoomAssert eventually() {
        return eventually(probe.hs.defaultWait());
    }

    /** Waits up to {@code timeout} for each following assertion. */
    public RoomAssert eventually(Duration timeout) {
        return new RoomAssert(probe.waiting(timeout), actual);
    }

    /** The room's timeline. */
    public TimelineAssert timeline() {
        return new TimelineAssert(probe, actual);
    }

    /** The room exists. */
    public RoomAssert exists() {
        return check(room -> null, "exist");
    }

    /** The user's membership is {@code join}. */
    public RoomAssert hasMember(String userId) {
        return hasMembership(userId, "join");
    }

    /** The user's membership is this one ({@code join}, {@code invite}, {@code leave}, {@code ban}, {@code knock}). */
    public RoomAssert hasMembership(String userId, String membership) {
        return check(room -> {
            String m = room.membership(userId);
            if (membership.equals(m)) {
                return null;
            }
            return "Expecting room " + actual + " to have " + userId + " with membership " + membership + "\n"
                    + "but " + (m == null ? "the user never had a membership there" : "it is " + m) + ".\n"
                    + seen(room, userId) + "\n" + Probe.list("Memberships", room.memberships().entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue()).toList());
        }, null);
    }

    /** A current state event of this type and key exists. */
    public RoomAssert hasState(String type, String stateKey) {
        return check(room -> room.state(type, stateKey).isPresent() ? null
                : "Expecting room " + actual + " to have state (" + type + ", \"" + stateKey + "\")\n"
                + "but it has none.\n" + seen(room, null) + "\n"
                + Probe.list("State keys of that type", room.state().stream().filter(e -> e.type().equals(type))
                        .map(e -> "\"" + e.stateKey() + "\"").toList()), null);
    }

    /** The {@code m.room.name} is this. */
    public RoomAssert hasName(String name) {
        return check(room -> name.equals(room.name()) ? null
                : "Expecting room " + actual + " to be named \"" + name + "\"\nbut its name is "
                + (room.name() == null ? "not set" : "\"" + room.name() + "\"") + ".\n" + seen(room, null), null);
    }

    /** The {@code m.room.topic} is this. */
    public RoomAssert hasTopic(String topic) {
        return check(room -> topic.equals(room.topic()) ? null
                : "Expecting room " + actual + " to have topic \"" + topic + "\"\nbut its topic is "
                + (room.topic() == null ? "not set" : "\"" + room.topic() + "\"") + ".\n" + seen(room, null), null);
    }

    private String seen(RoomView room, String user) {
        String journal = probe.journalOf(Probe.setOf(user), Probe.setOf(user == null ? null : probe.owner(user)));
        return "What the fake saw:\n" + Probe.timeline(room) + (user == null ? "" : "\n" + journal);
    }

    private RoomAssert check(Function<RoomView, String> onRoom, String verbIfMissing) {
        String failure = probe.run(() -> {
            Optional<RoomView> room = probe.hs.findRoom(actual);
            return room.isPresent() ? onRoom.apply(room.get()) : missing(probe, actual);
        });
        if (failure != null) {
            failWithMessage("%s", failure);
        }
        return this;
    }

    static String missing(Probe probe, String ref) {
        return "Expecting room " + ref + " to exist\nbut the fake has no such room.\nWhat the fake saw:\n"
                + Probe.list("Rooms", probe.hs.rooms()) + "\n" + probe.journalAll();
    }

}
