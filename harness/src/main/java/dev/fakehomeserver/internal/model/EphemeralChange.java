package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One ephemeral change, already shaped as the Matrix EDU an appservice transaction carries (spec-digest §3.3):
 * {@code m.typing} {@code {type, room_id, content:{user_ids}}}, {@code m.receipt}
 * {@code {type, room_id, content:{eventId:{receiptType:{userId:{ts}}}}}}, {@code m.presence}
 * {@code {type, sender, content:{presence, last_active_ago, currently_active, status_msg}}}.
 *
 * @param roomId the room of a typing or receipt change; null for presence
 * @param userId the user whose state changed
 * @param event the EDU; listeners must not modify it
 */
public record EphemeralChange(Kind kind, String roomId, String userId, ObjectNode event) {
    /** The three ephemeral streams. */
    public enum Kind { TYPING, RECEIPT, PRESENCE }

    /** Whether this is a private read receipt ({@code m.read.private}), which only its own user may see. */
    public boolean isPrivateReceipt() {
        if (kind != Kind.RECEIPT) {
            return false;
        }
        var content = event.path("content");
        var it = content.elements();
        while (it.hasNext()) {
            if (it.next().has("m.read.private")) {
                return true;
            }
        }
        return false;
    }
}
