package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.ClientEventJson;
import dev.fakehomeserver.internal.base.Json;

/**
 * The one place events become JSON: the client format, and the legacy "client v1" shape Synapse pushes to
 * appservices (top-level {@code user_id}, {@code age}, {@code prev_content}, {@code invite_room_state}; see
 * spec-digest §2.3). {@code unsigned.transaction_id} is shown only to the device that sent the event, and never
 * in pushes.
 */
public final class EventFormat {
    private EventFormat() {}

    public static ObjectNode client(Event e, long now) {
        return client(e.eventId(), e.roomId(), e.type(), e.sender(), e.stateKey(), e.content(), e.originServerTs(),
                unsigned(e, now));
    }

    /** The client format from an event's parts: {@link ClientEventJson}, the one place that shape is written. */
    public static ObjectNode client(String eventId, String roomId, String type, String sender, String stateKey,
                                    ObjectNode content, long originServerTs, ObjectNode unsigned) {
        return ClientEventJson.of(eventId, roomId, type, sender, stateKey, content, originServerTs, unsigned);
    }

    /** The {@code unsigned} keys the client v1 shape also copies to the top level, in the order it adds them. */
    private static final String[] V1_TOP_LEVEL = {"age", "prev_content", "replaces_state", "redacted_because",
            "invite_room_state", "knock_room_state"};

    /** The shape of events in {@code PUT /_matrix/app/v1/transactions}. */
    public static ObjectNode appserviceV1(Event e, long now) {
        ObjectNode o = client(e, now);
        ObjectNode unsigned = (ObjectNode) o.get("unsigned");
        o.put("user_id", e.sender());
        for (String key : V1_TOP_LEVEL) {
            if (unsigned.has(key)) {
                o.set(key, unsigned.get(key));
            }
        }
        return o;
    }

    /**
     * Writes {@link #appserviceV1} straight to {@code g}: the same bytes Jackson writes for that tree (keys in the
     * same order, {@link ClientEventJson}'s then the v1 additions), without building the tree first. A push
     * writes every event this way: building each event's tree only to write it was a sixth of the push thread's
     * time (benchmarks/README.md, figure 4). {@code EventFormatTest} holds the two to the same bytes.
     */
    public static void writeAppserviceV1(Event e, long now, JsonGenerator g) throws java.io.IOException {
        ObjectNode unsigned = unsigned(e, now);
        g.writeStartObject();
        field(g, "content", e.content());
        g.writeStringField("event_id", e.eventId());
        g.writeNumberField("origin_server_ts", e.originServerTs());
        g.writeStringField("room_id", e.roomId());
        g.writeStringField("sender", e.sender());
        if (e.stateKey() != null) {
            g.writeStringField("state_key", e.stateKey());
        }
        g.writeStringField("type", e.type());
        if ("m.room.redaction".equals(e.type()) && e.content().has("redacts")) {
            field(g, "redacts", e.content().get("redacts"));
        }
        field(g, "unsigned", unsigned);
        g.writeStringField("user_id", e.sender());
        for (String key : V1_TOP_LEVEL) {
            if (unsigned.has(key)) {
                field(g, key, unsigned.get(key));
            }
        }
        g.writeEndObject();
    }

    /** Writes one field as a tree's {@code set(name, node)} is written (a null node as {@code null}). */
    private static void field(JsonGenerator g, String name, JsonNode value) throws java.io.IOException {
        g.writeFieldName(name);
        Json.writeTree(g, value);
    }

    private static ObjectNode unsigned(Event e, long now) {
        ObjectNode u = Json.object();
        u.put("age", Math.max(0, now - e.originServerTs()));
        if (e.prevContent() != null) {
            u.set("prev_content", e.prevContent());
            u.put("prev_sender", e.prevSender());
        }
        if (e.unsignedExtra() != null) {
            u.setAll(e.unsignedExtra());
        }
        if (e.redactedBecause() != null) {
            u.set("redacted_because", e.redactedBecause());
        }
        return u;
    }

    /** Stripped state, as in invites: content, sender, state_key, type. */
    public static ObjectNode stripped(Event e) {
        ObjectNode s = Json.object();
        s.set("content", e.content());
        s.put("sender", e.sender());
        s.put("state_key", e.stateKey());
        s.put("type", e.type());
        return s;
    }
}
