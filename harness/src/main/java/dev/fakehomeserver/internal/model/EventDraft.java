package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a caller asks the append path to add: everything but the id, position and time, which only
 * {@link EventAppender} assigns.
 *
 * @param ts a massaged {@code origin_server_ts} ({@code ?ts=} from an appservice), or null for now
 * @param eventId the id the event had where a scene was exported from ({@link RoomService#importEvent}), or
 *     null for a new one: the only way an id is not the append path's own
 */
public record EventDraft(String roomId, String sender, String type, String stateKey, ObjectNode content, Long ts,
                         String txnId, ObjectNode unsignedExtra, String eventId) {

    public static EventDraft message(String roomId, String sender, String type, ObjectNode content) {
        return new EventDraft(roomId, sender, type, null, content, null, null, null, null);
    }

    public static EventDraft state(String roomId, String sender, String type, String stateKey, ObjectNode content) {
        return new EventDraft(roomId, sender, type, stateKey, content, null, null, null, null);
    }

    public EventDraft withTs(Long newTs) {
        return new EventDraft(roomId, sender, type, stateKey, content, newTs, txnId, unsignedExtra, eventId);
    }

    public EventDraft withTxnId(String id) {
        return new EventDraft(roomId, sender, type, stateKey, content, ts, id, unsignedExtra, eventId);
    }

    public EventDraft withUnsigned(ObjectNode extra) {
        return new EventDraft(roomId, sender, type, stateKey, content, ts, txnId, extra, eventId);
    }

    public EventDraft withEventId(String id) {
        return new EventDraft(roomId, sender, type, stateKey, content, ts, txnId, unsignedExtra, id);
    }
}
