package dev.fakehomeserver.assertj;

import dev.fakehomeserver.expect.WhatTheFakeSaw;
import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.RoomView;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Assertions on a room's timeline: what it contains, what it does not, and in which order. The {@code actual}
 * value is the timeline's snapshot when the assertion was made (null when there was no such room); every assertion
 * method reads the live room. Failures show the timeline, the journal of the users concerned and near misses and,
 * when the sender awaited belongs to an appservice, that appservice's section (push state, last transactions and
 * their answers, and what became of the last event it had to react to).
 *
 * <pre>{@code
 * assertThat(hs).eventually().room(roomId).timeline()
 *         .containsMessageFrom("@weather_paris:test", "Paris: sunny")
 *         .containsMessagesInOrder("!weather Paris", "Paris: sunny")
 *         .containsEventOfType("m.room.topic");
 * assertThat(hs).room(roomId).timeline().during(Duration.ofSeconds(1)).doesNotContainMessageFrom("@weatherbot:test");
 * }</pre>
 */
public final class TimelineAssert extends AbstractProbeAssert<TimelineAssert, List<EventView>> {
    private final String ref;

    TimelineAssert(Probe probe, String roomIdOrAlias) {
        super(probe, probe.hs.findRoom(roomIdOrAlias).map(RoomView::timeline).orElse(null), TimelineAssert.class);
        this.ref = roomIdOrAlias;
    }

    @Override
    TimelineAssert with(Probe p) {
        return new TimelineAssert(p, ref);
    }

    /** An {@code m.room.message} from this sender with exactly this body. */
    public TimelineAssert containsMessageFrom(String sender, String body) {
        return check(expect.timelineContainsMessageFrom(ref, sender, body));
    }

    /** An {@code m.room.message} with exactly this body, from anyone. */
    public TimelineAssert containsMessage(String body) {
        return check(expect.timelineContainsMessage(ref, body));
    }

    /** An event of this type. */
    public TimelineAssert containsEventOfType(String type) {
        return containsEventMatching("an event of type " + type, e -> e.type().equals(type));
    }

    /** An event that matches, described in words for the failure message. */
    public TimelineAssert containsEventMatching(String description, Predicate<EventView> which) {
        return check(expect.timelineContainsEventMatching(ref, description, which));
    }

    /**
     * Messages with these bodies, from anyone, in this order (others may come between them).
     *
     * <pre>{@code
     * assertThat(hs).eventually().room(room).timeline().containsMessagesInOrder("!weather Paris", "Paris: sunny");
     * }</pre>
     */
    public TimelineAssert containsMessagesInOrder(String... bodies) {
        List<String> want = List.of(bodies);
        return onRoom(room -> {
            List<EventView> messages = room.timeline().stream().filter(TimelineAssert::isMessage).toList();
            int found = 0;
            for (EventView e : messages) {
                if (found < want.size() && want.get(found).equals(e.body())) {
                    found++;
                }
            }
            if (found == want.size()) {
                return null;
            }
            String but = found == 0 ? "but it has no message \"" + want.get(0) + "\"."
                    : "but no message \"" + want.get(found) + "\" comes after \"" + want.get(found - 1) + "\".";
            return expecting("to contain the messages " + quoted(want) + " in this order") + but + "\n"
                    + seen(room, null, List.of());
        });
    }

    /**
     * The messages from this sender are exactly these bodies, in this order, and no others.
     *
     * <pre>{@code
     * assertThat(hs).eventually().room(room).timeline()
     *         .containsExactlyMessagesFrom("@weather_paris:test", "Paris: sunny", "Paris: rainy");
     * }</pre>
     */
    public TimelineAssert containsExactlyMessagesFrom(String sender, String... bodies) {
        List<String> want = List.of(bodies);
        return onRoom(room -> {
            List<EventView> from = room.timeline().stream().filter(e -> isMessage(e) && e.sender().equals(sender))
                    .toList();
            List<String> got = from.stream().map(EventView::body).toList();
            if (got.equals(want)) {
                return null;
            }
            return expecting("to contain exactly the messages " + quoted(want) + " from " + sender)
                    + "but its messages from " + sender + " are " + (got.isEmpty() ? "none" : quoted(got)) + ".\n"
                    + seen(room, sender, List.of());
        });
    }

    /** No {@code m.room.message} from this sender; pair it with {@link #during} for "and none comes". */
    public TimelineAssert doesNotContainMessageFrom(String sender) {
        return doesNotContainEventMatching("a message from " + sender, e -> isMessage(e) && e.sender().equals(sender));
    }

    /** No {@code m.room.message} with exactly this body, from anyone. */
    public TimelineAssert doesNotContainMessage(String body) {
        return doesNotContainEventMatching("a message with body \"" + body + "\"",
                e -> isMessage(e) && body.equals(e.body()));
    }

    /** No {@code m.room.message} from this sender with exactly this body. */
    public TimelineAssert doesNotContainMessageFrom(String sender, String body) {
        return doesNotContainEventMatching("a message from " + sender + " with body \"" + body + "\"",
                e -> e.isMessage(sender, body));
    }

    /** No event that matches, described in words for the failure message. */
    public TimelineAssert doesNotContainEventMatching(String description, Predicate<EventView> which) {
        return onRoom(room -> {
            List<EventView> found = room.timeline().stream().filter(which).toList();
            return found.isEmpty() ? null : expecting("not to contain " + description) + "but it has "
                    + (found.size() == 1 ? "one" : String.valueOf(found.size())) + ".\n" + seen(room, null, List.of())
                    + "\n" + WhatTheFakeSaw.list("Found", found);
        });
    }

    private static boolean isMessage(EventView e) {
        return "m.room.message".equals(e.type());
    }

    private static String quoted(List<String> bodies) {
        return bodies.stream().map(b -> "\"" + b + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    private String expecting(String what) {
        return "Expecting the timeline of room " + ref + " " + what + "\n";
    }

    private String seen(RoomView room, String sender, List<EventView> near) {
        return seen.aroundTimeline(room, sender, near);
    }

    private TimelineAssert onRoom(Function<RoomView, String> onRoom) {
        return check(() -> {
            Optional<RoomView> room = probe.hs.findRoom(ref);
            return room.isPresent() ? onRoom.apply(room.get()) : seen.roomMissing(ref);
        });
    }
}
