package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;

/**
 * Redactions: a redaction is an ordinary {@code m.room.redaction} event through the one append path (which checks
 * the power to redact in {@link AuthRules}); once it is appended, {@link EventAppender} calls {@link RedactionAlgorithm#apply} and
 * the target is replaced by its copy stripped by the spec's redaction algorithm, with
 * {@code unsigned.redacted_because}.
 */
public final class Redactions {
    private final HomeserverModel model;

    public Redactions(HomeserverModel model) {
        this.model = model;
    }

    /**
     * Redacts an event as the requester, idempotent per transaction like sending: a repeated {@code txnKey}
     * answers the first redaction's id.
     *
     * @return the redaction event's id
     */
    public String redact(Requester r, String roomId, String eventId, String reason, String txnId, String txnKey) {
        synchronized (model) {
            String cached = model.sendTxns.get(txnKey);
            if (cached != null) {
                return cached;
            }
            if (model.room(roomId) == null) {
                throw dev.fakehomeserver.internal.base.MatrixException.forbidden("Unknown room " + roomId);
            }
            model.messageLimiter().check(r, model.now());
            ObjectNode content = Json.object();
            // Room v11 moved redacts into content; keeping it there for every version lets one shape serve all
            // (EventFormat also puts it at the top level, where clients of older room versions read it).
            content.put("redacts", eventId);
            if (reason != null) {
                content.put("reason", reason);
            }
            Event e = model.appender().append(
                    EventDraft.message(roomId, r.userId(), "m.room.redaction", content).withTxnId(txnId));
            model.sendTxns.put(txnKey, e.eventId());
            if (txnId != null) {
                model.sync().sentFrom(e.eventId(), SyncData.scopeOf(r.userId(), r.deviceId(), r.appserviceId()));
            }
            return e.eventId();
        }
    }
}
