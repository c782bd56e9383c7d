package dev.fakehomeserver.internal.model;

import dev.fakehomeserver.internal.base.MatrixException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The one append path. Every event, whether an appservice sent it over HTTP or a test injected it, comes here:
 * the event checks (canonical JSON, the power levels schema, sizes: {@link EventChecks}), the auth rules, then id,
 * stream position and timestamp, then state and timeline, then the listeners (interest routing to the pushers)
 * and the change signal (waiters). Runs under the model's lock (its room lookup checks it).
 */
public final class EventAppender {
    private final ModelCore model;
    private final LongSupplier nowMillis;
    private final List<AppendListener> listeners = new CopyOnWriteArrayList<>();
    private long stream;
    private volatile int maxEventBytes = Options.defaults().maxEventBytes();

    EventAppender(ModelCore model, LongSupplier nowMillis) {
        this.model = model;
        this.nowMillis = nowMillis;
    }

    public void addListener(AppendListener l) {
        listeners.add(l);
    }

    /** The largest event accepted, in bytes of JSON ({@link Options#maxEventBytes()}). */
    void maxEventBytes(int bytes) {
        this.maxEventBytes = bytes;
    }

    /**
     * The append path's first rule on its own, for a caller that checks content before appending (the client
     * API's content checks): Synapse refuses a sender who is not in the room before it looks at the content, so
     * a non-member's message without a body is 403, not 400. Must run under the model's lock.
     */
    public void checkSenderJoined(String roomId, String sender, String type) {
        Room room = model.room(roomId);
        if (room != null) {
            AuthRules.checkSenderJoined(room, EventDraft.message(roomId, sender, type, null));
        }
    }

    /**
     * Appends; throws {@link MatrixException} when the event checks or the auth rules refuse. Must run under the
     * model's lock.
     */
    public Event append(EventDraft d) {
        Room room = model.room(d.roomId());
        if (room == null) {
            throw MatrixException.forbidden("Unknown room " + d.roomId());
        }
        if (d.eventId() != null && model.event(d.eventId()) != null) {
            throw MatrixException.invalidParam("Event " + d.eventId() + " already exists");
        }
        long ts = d.ts() != null ? d.ts() : nowMillis.getAsLong();
        AuthRules.checkSenderJoined(room, d);
        EventChecks.check(room.version(), d, ts, maxEventBytes);
        AuthRules.check(room, d);
        Event prev = d.stateKey() == null ? null : room.state().get(d.type(), d.stateKey());
        // Synapse names the state event this one replaces in unsigned.replaces_state (clients, and pushes at the
        // top level too: EventFormat.appserviceV1 copies it up).
        com.fasterxml.jackson.databind.node.ObjectNode extra = d.unsignedExtra();
        if (prev != null) {
            extra = extra == null ? dev.fakehomeserver.internal.base.Json.object() : extra.deepCopy();
            extra.put("replaces_state", prev.eventId());
        }
        Event e = new Event(d.eventId() != null ? d.eventId() : model.ids().eventId(), d.roomId(), d.sender(), d.type(), d.stateKey(), d.content(), ts,
                ++stream, prev == null ? null : prev.content(), prev == null ? null : prev.sender(),
                extra, d.txnId(), null);
        if (e.isState()) {
            room.state().put(e);
        }
        room.appendToTimeline(e);
        model.indexEvent(e);
        if ("m.room.redaction".equals(e.type())) {
            RedactionAlgorithm.apply(model, room, e);
        }
        for (AppendListener l : listeners) {
            l.appended(room, e);
        }
        model.signal().bump();
        return e;
    }

    long position() {
        return stream;
    }
}
