package dev.fakehomeserver.view;

import java.util.Map;

/**
 * One room event as the fake stored it, frozen at the moment it was read.
 *
 * <p>The content is a deeply immutable {@code Map<String, Object>} (nested objects are maps, arrays are lists,
 * numbers are {@code Integer}/{@code Long}/{@code Double}), not a Jackson tree: your test may use another Jackson
 * than the fake, and maps work with every AssertJ map assertion as they are.
 *
 * <pre>{@code
 * EventView e = hs.room("#lobby:test").timeline().get(7);
 * assertThat(e.sender()).isEqualTo("@alice:test");
 * assertThat(e.body()).isEqualTo("hello");
 * assertThat(e.content()).containsEntry("msgtype", "m.text");
 * }</pre>
 *
 * @param eventId the event id, such as {@code $abc...}
 * @param roomId the room it belongs to
 * @param type the event type, such as {@code m.room.message}
 * @param sender the user who sent it
 * @param stateKey the state key of a state event, or null for a message-like event
 * @param content the content (empty after a redaction strips it)
 * @param originServerTs the timestamp in milliseconds since the epoch
 * @param streamPosition the position in the server's global event stream (strictly increasing in append order)
 * @param redacted whether a redaction has stripped it
 * @param unsigned what the client API shows in {@code unsigned} besides {@code age}: {@code prev_content},
 *     {@code prev_sender}, {@code redacted_because}, {@code invite_room_state}... (empty when none)
 */
public record EventView(String eventId, String roomId, String type, String sender, String stateKey,
                        Map<String, Object> content, long originServerTs, long streamPosition, boolean redacted,
                        Map<String, Object> unsigned) {

    /** Whether this is a state event (it has a state key, possibly empty). */
    public boolean isState() {
        return stateKey != null;
    }

    /** The {@code body} of a message, or null when the content has no string body. */
    public String body() {
        return content.get("body") instanceof String s ? s : null;
    }

    /** The {@code msgtype} of a message, or null. */
    public String msgtype() {
        return content.get("msgtype") instanceof String s ? s : null;
    }

    /** The {@code membership} of an {@code m.room.member} event, or null. */
    public String membership() {
        return content.get("membership") instanceof String s ? s : null;
    }

    /** Whether this is an {@code m.room.message} with this sender and body. */
    public boolean isMessage(String fromSender, String withBody) {
        return "m.room.message".equals(type) && sender.equals(fromSender) && withBody.equals(body());
    }

    /** One line, as failure messages show it: id, type, sender, then the state key or the body. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(eventId).append(' ').append(type).append(' ').append(sender);
        if (stateKey != null) {
            sb.append(" state_key=\"").append(stateKey).append('"');
            if (membership() != null) {
                sb.append(" membership=").append(membership());
            }
        } else if (body() != null) {
            if (msgtype() != null && !"m.text".equals(msgtype())) {
                sb.append(' ').append(msgtype());
            }
            sb.append(" \"").append(body()).append('"');
        }
        if (redacted) {
            sb.append(" (redacted)");
        }
        return sb.toString();
    }
}
