package dev.fakehomeserver.expect;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.journal.RecordedRequest;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.RoomView;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The expectations that more than one face waits for, each with the failure message of its AssertJ assertion:
 * {@code TimelineAssert.containsMessageFrom} and the control API's {@code GET rooms/{id}/timeline?wait_ms=&sender=
 * &body=} are both {@link #timelineContainsMessageFrom}, so Java and a Python test script read the same text.
 *
 * <pre>{@code
 * Expectations expect = Expectations.of(hs);
 * expect.appserviceIsIdle("weather").await(Duration.ofSeconds(5)).ifPresent(f -> fail(f));
 * Optional<String> why = expect.journalHasRequest("PUT", "/rooms/{roomId}/send/*").failure();   // checked now
 * }</pre>
 */
public final class Expectations {
    private final Homeserver hs;
    private final WhatTheFakeSaw seen;

    private Expectations(Homeserver hs) {
        this.hs = hs;
        this.seen = new WhatTheFakeSaw(hs);
    }

    /** The expectations about {@code hs}, each read live when checked. */
    public static Expectations of(Homeserver hs) {
        return new Expectations(hs);
    }

    // ---- a room's timeline -------------------------------------------------------------------------------------

    /** The room (by id or local alias) has an {@code m.room.message} from this sender with exactly this body. */
    public Expectation timelineContainsMessageFrom(String roomIdOrAlias, String sender, String body) {
        Predicate<EventView> it = e -> e.isMessage(sender, body);
        return onRoom(roomIdOrAlias, room -> room.timeline().stream().anyMatch(it), room -> {
            List<EventView> tl = room.timeline();
            if (tl.stream().anyMatch(e -> e.isMessage(sender, body))) {
                return null;
            }
            List<EventView> near = tl.stream().filter(e -> isMessage(e)
                    && (e.sender().equals(sender) || body.equals(e.body()))).toList();
            String but = tl.stream().anyMatch(e -> e.sender().equals(sender) && isMessage(e))
                    ? "but its messages from " + sender + " have other bodies."
                    : "but it has no message from " + sender + ".";
            return expecting(roomIdOrAlias, "to contain a message from " + sender + " with body \"" + body + "\"")
                    + but + "\n" + seen.aroundTimeline(room, sender, near);
        });
    }

    /** The room has an {@code m.room.message} with exactly this body, from anyone. */
    public Expectation timelineContainsMessage(String roomIdOrAlias, String body) {
        return timelineContainsEventMatching(roomIdOrAlias, "a message with body \"" + body + "\"",
                e -> isMessage(e) && body.equals(e.body()));
    }

    /** The room has an event that matches, described in words for the failure message. */
    public Expectation timelineContainsEventMatching(String roomIdOrAlias, String description,
                                                     Predicate<EventView> which) {
        return onRoom(roomIdOrAlias, room -> room.timeline().stream().anyMatch(which),
                room -> room.timeline().stream().anyMatch(which) ? null
                : expecting(roomIdOrAlias, "to contain " + description) + "but it has none.\n"
                + seen.aroundTimeline(room, null, List.of()));
    }

    // ---- the journal -------------------------------------------------------------------------------------------

    /**
     * The journal has a request with this method ({@code *} for any) and path pattern (without
     * {@code /_matrix/client/v3}; {@code *} and {@code {name}} match one segment, {@code **} several).
     */
    public Expectation journalHasRequest(String method, String pathPattern) {
        return journalHasRequest(method, pathPattern, 0);
    }

    /** The same, counting only the requests after sequence number {@code afterSeq} (0: all of them). */
    public Expectation journalHasRequest(String method, String pathPattern, long afterSeq) {
        Predicate<RecordedRequest> which = WhatTheFakeSaw.request(method, pathPattern).and(r -> r.seq() > afterSeq);
        return Expectation.of(hs, () -> !hs.journal().requests(which).isEmpty(),
                () -> hs.journal().requests(which).isEmpty()
                ? "Expecting the journal to have a request " + method + " " + pathPattern
                + (afterSeq > 0 ? " after #" + afterSeq : "") + "\nbut it has none.\n"
                + "What the fake saw:\n" + seen.journalAll() : null);
    }

    // ---- an appservice -----------------------------------------------------------------------------------------

    /** The appservice acknowledged a transaction holding this event. */
    public Expectation appserviceReceivedEvent(String appserviceId, String eventId) {
        AppserviceSeen as = seen.appservice(appserviceId);
        return Expectation.of(hs, () -> {
            if (as.delivered().contains(eventId)) {
                return null;
            }
            String head = "Expecting appservice " + appserviceId + " to have received event " + eventId + "\n";
            Optional<EventView> e = hs.event(eventId);
            if (e.isEmpty()) {
                return head + "but the fake has no such event.\nWhat the fake saw:\n" + as.transactions();
            }
            List<RecordedTransaction> tried = as.pushes().stream().filter(t -> t.eventIds().contains(eventId))
                    .toList();
            String but = tried.isEmpty() ? "but it was never pushed there.\n" + as.whyNotPushed(e.get())
                    : "but every attempt to push it failed (" + WhatTheFakeSaw.count(tried.size(), "attempt")
                    + ", last: " + (tried.get(tried.size() - 1).error()) + ").\n" + as.state() + ".";
            return head + but + "\nWhat the fake saw:\n" + e.get() + "\n" + as.transactions();
        });
    }

    /** The appservice acknowledged a transaction holding an event of this type. */
    public Expectation appserviceReceivedEventOfType(String appserviceId, String type) {
        return appserviceReceivedMatching(appserviceId, "an event of type " + type, e -> e.type().equals(type));
    }

    /** The appservice acknowledged a transaction holding an {@code m.room.message} from this sender with this body. */
    public Expectation appserviceReceivedMessage(String appserviceId, String sender, String body) {
        return appserviceReceivedMatching(appserviceId, "a message from " + sender + " with body \"" + body + "\"",
                e -> e.isMessage(sender, body));
    }

    private Expectation appserviceReceivedMatching(String id, String description, Predicate<EventView> which) {
        AppserviceSeen as = seen.appservice(id);
        return Expectation.of(hs, () -> as.deliveredEvents().stream().anyMatch(which), () -> {
            List<EventView> got = as.deliveredEvents();
            if (got.stream().anyMatch(which)) {
                return null;
            }
            List<EventView> near = hs.rooms().stream().flatMap(r -> r.timeline().stream()).filter(which).toList();
            StringBuilder sb = new StringBuilder("Expecting appservice " + id + " to have received " + description
                    + (got.isEmpty() ? "\nbut it acknowledged no event.\n"
                    : "\nbut none of the " + got.size() + " events it acknowledged is one.\n"));
            if (near.isEmpty()) {
                sb.append("The fake holds no such event in any room.\n");
            } else {
                EventView first = near.get(0);
                sb.append(WhatTheFakeSaw.list("Near misses (the fake holds them, " + id
                        + " did not acknowledge them)", near)).append('\n');
                if (as.pushes().stream().noneMatch(t -> t.eventIds().contains(first.eventId()))) {
                    sb.append(first.eventId()).append(" was never pushed there. ").append(as.whyNotPushed(first))
                            .append('\n');
                }
            }
            return sb.append("What the fake saw:\n").append(as.transactions()).toString();
        });
    }

    /**
     * Nothing is queued for the appservice and no request to it is open: everything pushed so far was answered
     * (what {@code hs.awaitAppserviceIdle} waits for).
     */
    public Expectation appserviceIsIdle(String appserviceId) {
        AppserviceSeen as = seen.appservice(appserviceId);
        return Expectation.of(hs, () -> as.idle() ? null : "Expecting appservice " + appserviceId
                + " to be idle\nbut it is not: " + as.state() + ".\nWhat the fake saw:\n" + as.transactions());
    }

    /** The homeserver has marked the appservice down after a failed transaction, and retries it on a backoff. */
    public Expectation appserviceIsDown(String appserviceId) {
        AppserviceSeen as = seen.appservice(appserviceId);
        return Expectation.of(hs, () -> hs.appserviceStatus(appserviceId).down() ? null
                : "Expecting appservice " + appserviceId + " to be down\nbut the fake sees it up.\n"
                + "What the fake saw:\n" + as.transactions());
    }

    /** The homeserver does not consider the appservice down (nothing waits for a retry). */
    public Expectation appserviceIsUp(String appserviceId) {
        AppserviceSeen as = seen.appservice(appserviceId);
        return Expectation.of(hs, () -> !hs.appserviceStatus(appserviceId).down() ? null
                : "Expecting appservice " + appserviceId + " to be up\nbut the fake sees it down.\n"
                + "What the fake saw:\n" + as.transactions());
    }

    // ---- shared ------------------------------------------------------------------------------------------------

    /** An expectation about a room: {@code holds} is re-checked while waiting, {@code onRoom} builds the message. */
    private Expectation onRoom(String ref, Predicate<RoomView> holds, Function<RoomView, String> onRoom) {
        return Expectation.of(hs, () -> hs.findRoom(ref).map(holds::test).orElse(false), () -> {
            Optional<RoomView> room = hs.findRoom(ref);
            return room.isPresent() ? onRoom.apply(room.get()) : seen.roomMissing(ref);
        });
    }

    private static String expecting(String ref, String what) {
        return "Expecting the timeline of room " + ref + " " + what + "\n";
    }

    private static boolean isMessage(EventView e) {
        return "m.room.message".equals(e.type());
    }
}
