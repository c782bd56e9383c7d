package dev.fakehomeserver.assertj;

import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.RoomView;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a room's timeline (the {@code actual} value is the room id or alias). Failures show the timeline,
 * the journal of the users and appservice concerned, and near misses.
 *
 * <pre>{@code
 * assertThat(hs).eventually().room(roomId).timeline()
 *         .containsMessageFrom("@weather_paris:test", "Paris: sunny")
 *         .containsEventOfType("m.room.topic");
 * }</pre>
 */
public final class TimelineAssert extends AbstractAssert<TimelineAssert, String> {
    private final Probe probe;

    TimelineAssert(Probe probe, String roomIdOrAlias) {
        super(roomIdOrAlias, TimelineAssert.class);
        this.probe = probe;
    }

    /** Waits up to the server's default for each following assertion. */
    public TimelineAssert eventually() {
        return eventually(probe.hs.defaultWait());
    }

    /** Waits up to {@code timeout} for each following assertion. */
    public TimelineAssert eventually(Duration timeout) {
        return new TimelineAssert(probe.waiting(timeout), actual);
    }

    /** An {@code m.room.message} from this sender with exactly this body. */
    public TimelineAssert containsMessageFrom(String sender, String body) {
        return check(room -> {
            List<EventView> tl = room.timeline();
            if (tl.stream().anyMatch(e -> e.isMessage(sender, body))) {
                return null;
            }
            List<EventView> near = tl.stream().filter(e -> "m.room.message".equals(e.type())
                    && (e.sender().equals(sender) || body.equals(e.body()))).toList();
            String but = tl.stream().anyMatch(e -> e.sender().equals(sender) && "m.room.message".equals(e.type()))
                    ? "but its messages from " + sender + " have other bodies."
                    : "but it has no message from " + sender + ".";
            return "Expecting the timeline of room " + actual + " to contain a message from " + sender
                    + " with body \"" + body + "\"\n" + but + "\n" + seen(room, sender, near);
        });
    }

    /** An {@code m.room.message} with exactly this body, from anyone. */
    public TimelineAssert containsMessage(String body) {
        return containsEventMatching("a message with body \"" + body + "\"",
                e -> "m.room.message".equals(e.type()) && body.equals(e.body()));
    }

    /** An event of this type. */
    public TimelineAssert containsEventOfType(String type) {
        return containsEventMatching("an event of type " + type, e -> e.type().equals(type));
    }

    /** An event that matches, described in words for the failure message. */
    public TimelineAssert containsEventMatching(String description, Predicate<EventView> which) {
        return check(room -> room.timeline().stream().anyMatch(which) ? null
                : "Expecting the timeline of room " + actual + " to contain " + description + "\nbut it has none.\n"
                + seen(room, null, List.of()));
    }

    private String seen(RoomView room, String user, List<EventView> near) {
        StringBuilder sb = new StringBuilder("What the fake saw:\n").append(Probe.timeline(room));
        if (user != null) {
            sb.append('\n').append(probe.journalOf(Probe.setOf(user), Probe.setOf(probe.owner(user))));
        }
        if (!near.isEmpty()) {
            sb.append('\n').append(Probe.list("Near misses", near));
        }
        return sb.toString();
    }

    private TimelineAssert check(Function<RoomView, String> onRoom) {
        String failure = probe.run(() -> {
            Optional<RoomView> room = probe.hs.findRoom(actual);
            return room.isPresent() ? onRoom.apply(room.get()) : RoomAssert.missing(probe, actual);
        });
        if (failure != null) {
            failWithMessage("%s", failure);
        }
        return this;
    }
}
