package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A stored room event. Immutable: a redaction replaces the stored instance with its redacted copy.
 *
 * @param stream the global stream position, strictly increasing in append order
 * @param prevContent the content of the state event this one replaced, or null
 * @param unsignedExtra extra keys of {@code unsigned} such as {@code invite_room_state}, or null
 * @param txnId the client transaction id it was sent with, or null
 */
public record Event(
        String eventId,
        String roomId,
        String sender,
        String type,
        String stateKey,
        ObjectNode content,
        long originServerTs,
        long stream,
        ObjectNode prevContent,
        String prevSender,
        ObjectNode unsignedExtra,
        String txnId,
        ObjectNode redactedBecause) {

    public boolean isState() {
        return stateKey != null;
    }

    public String membership() {
        return content.path("membership").asText(null);
    }

    public Event redacted(ObjectNode newContent, ObjectNode because) {
        return new Event(eventId, roomId, sender, type, stateKey, newContent, originServerTs, stream, prevContent,
                prevSender, unsignedExtra, txnId, because);
    }
}
