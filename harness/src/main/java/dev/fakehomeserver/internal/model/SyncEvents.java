package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** How sync shows events and account data: shared by the stream ({@link SyncStream}) and its rooms ({@link SyncRooms}). */
final class SyncEvents {
    /** Account data entries ({@code {type, content}}) new since {@code sinceOther} (all when negative). */
    static void accountDataEvents(HomeserverModel model, Map<String, ObjectNode> stored, long sinceOther,
                                  SyncFilter.Part f, ArrayNode out) {
        int limit = f.limit(Integer.MAX_VALUE);
        for (Map.Entry<String, ObjectNode> e : stored.entrySet()) {
            long p = model.sync().accountDataPosition(e.getValue());
            if (p > sinceOther && f.matches(e.getKey(), null) && out.size() < limit) {
                ObjectNode ev = out.addObject();
                ev.put("type", e.getKey());
                ev.set("content", e.getValue());
            }
        }
    }

    /**
     * An event as sync shows it: the client format without {@code room_id}, without the stripped state that
     * only appservices get, with {@code unsigned.transaction_id} for the device that sent it.
     */
    static ObjectNode format(HomeserverModel model, Event e, long now, String txnScope) {
        ObjectNode o = EventFormat.client(e, now);
        o.remove("room_id");
        ObjectNode unsigned = (ObjectNode) o.get("unsigned");
        unsigned.remove("invite_room_state");
        unsigned.remove("knock_room_state");
        if (e.txnId() != null && txnScope != null && txnScope.equals(model.sync().sentFrom(e.eventId()))) {
            unsigned.put("transaction_id", e.txnId());
        }
        return o;
    }

    private SyncEvents() {
    }
}
