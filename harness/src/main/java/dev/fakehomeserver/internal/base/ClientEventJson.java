package dev.fakehomeserver.internal.base;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The client-server event format from an event's parts. It sits in the bottom package because two layers write
 * it: the model (stored events) and the control API, which renders the public {@code EventView} records and must
 * not reach into the model to do so.
 */
public final class ClientEventJson {
    private ClientEventJson() {}

    /** The client format; {@code stateKey} null for a message event. */
    public static ObjectNode of(String eventId, String roomId, String type, String sender, String stateKey,
                                    ObjectNode content, long originServerTs, ObjectNode unsigned) {
        ObjectNode o = Json.object();
        o.set("content", content);
        o.put("event_id", eventId);
        o.put("origin_server_ts", originServerTs);
        o.put("room_id", roomId);
        o.put("sender", sender);
        if (stateKey != null) {
            o.put("state_key", stateKey);
        }
        o.put("type", type);
        if ("m.room.redaction".equals(type) && content.has("redacts")) {
            // Room versions up to 10 carry redacts at the top level; v11 in content, which Synapse copies up.
            o.set("redacts", content.get("redacts"));
        }
        o.set("unsigned", unsigned);
        return o;
    }

}
