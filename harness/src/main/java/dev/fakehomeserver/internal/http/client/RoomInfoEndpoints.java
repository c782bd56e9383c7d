package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.EventFormat;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Room;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.TimelineReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading about one room: its local aliases, the deprecated room {@code initialSync}, {@code timestamp_to_event},
 * and reporting an event. Each checked against Synapse 1.94 (conversations/rooms in the test resources).
 */
public final class RoomInfoEndpoints {
    private final HomeserverModel model;

    public RoomInfoEndpoints(Services services) {
        this.model = services.model();
    }

    public void register(RouteTable.Builder r) {
        r.client("GET", "/rooms/{roomId}/aliases", AuthMode.REQUIRED, this::aliases);
        r.client("GET", "/rooms/{roomId}/initialSync", AuthMode.REQUIRED, this::initialSync);
        r.client("POST", "/rooms/{roomId}/report/{eventId}", AuthMode.REQUIRED, this::report);
        // v1 only: Synapse 1.94 serves neither /v3 nor the unstable msc3030 prefix any more.
        r.add("GET", "/_matrix/client/v1/rooms/{roomId}/timestamp_to_event", AuthMode.REQUIRED, this::timestampToEvent);
    }

    private Object aliases(Call c) {
        String user = c.who().userId();
        return model.read(() -> {
            Room room = RoomAccess.readable(model, c.param("roomId"), user, true);
            ArrayNode a = Json.NODES.arrayNode();
            room.aliases().forEach(a::add);
            return Json.object().set("aliases", a);
        });
    }

    /**
     * Synapse's {@code room_initial_sync} for a member: the newest {@code limit} events (default 10) and the
     * state, in the legacy v1 event shape, presence of the joined members and the room's receipts.
     */
    private Object initialSync(Call c) {
        String user = c.who().userId();
        int limit = Math.min(QueryParams.nonNegativeInt(c, "limit", 10), TimelineReader.MAX_LIMIT);
        return model.read(() -> {
            Room room = RoomAccess.readable(model, c.param("roomId"), user, true);
            long cap = RoomAccess.visibleUpTo(room, user);
            long now = model.now();
            List<Event> recent = new ArrayList<>();
            for (int i = room.timeline().size() - 1; i >= 0 && recent.size() < limit; i--) {
                Event e = room.timeline().get(i);
                if (e.stream() <= cap) {
                    recent.add(0, e);
                }
            }
            ObjectNode o = Json.object();
            o.put("room_id", room.roomId());
            ObjectNode messages = o.putObject("messages");
            ArrayNode chunk = messages.putArray("chunk");
            recent.forEach(e -> chunk.add(EventFormat.appserviceV1(e, now)));
            messages.put("start", TimelineReader.token(recent.isEmpty() ? 0 : recent.get(0).stream() - 1));
            messages.put("end", TimelineReader.token(recent.isEmpty() ? 0 : recent.get(recent.size() - 1).stream()));
            ArrayNode state = o.putArray("state");
            room.state().all().forEach(e -> state.add(EventFormat.appserviceV1(e, now)));
            ArrayNode presence = o.putArray("presence");
            for (String member : room.state().joined()) {
                ObjectNode p = presence.addObject();
                p.put("type", "m.presence");
                ObjectNode content = model.ephemeral().presenceContent(model.ephemeral().presence(member));
                content.put("user_id", member);
                p.set("content", content);
            }
            o.putArray("receipts");
            o.put("membership", room.state().membership(user));
            o.putArray("account_data");
            return o;
        });
    }

    /**
     * Synapse checks the body's types first, then whether the reporter can see the event: an unknown event and
     * one in a room the reporter is not in both answer 404, so a report cannot probe for events. The score is
     * not range-checked in 1.94 (the spec's -100..0 is not enforced).
     */
    private Object report(Call c) {
        ObjectNode b = c.object();
        JsonNode reason = b.get("reason");
        if (reason != null && !reason.isTextual()) {
            throw MatrixException.badJson("Param 'reason' must be a string");
        }
        JsonNode score = b.get("score");
        if (score != null && !score.isIntegralNumber()) {
            throw MatrixException.badJson("Param 'score' must be an integer");
        }
        String user = c.who().userId();
        return model.read(() -> {
            Event e = model.event(c.param("eventId"));
            Room room = model.room(c.param("roomId"));
            if (e == null || room == null || !e.roomId().equals(room.roomId()) || e.stream() > RoomAccess.visibleUpTo(room, user)) {
                throw MatrixException.notFound("Unable to report event: it does not exist or you aren't able to see it.");
            }
            return Json.object();
        });
    }

    /** The closest event at or after (dir=f, the default) or at or before (dir=b) a timestamp. */
    private Object timestampToEvent(Call c) {
        String user = c.who().userId();
        String tsParam = c.query("ts");
        if (tsParam == null) {
            throw MatrixException.missingParam("Missing integer query parameter 'ts'");
        }
        long ts;
        try {
            ts = Long.parseLong(tsParam);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Query parameter 'ts' must be an integer");
        }
        boolean forwards = "f".equals(QueryParams.oneOf(c, "dir", "f", "b", "f"));
        return model.read(() -> {
            Room room = RoomAccess.readable(model, c.param("roomId"), user, false);
            Event best = null;
            for (Event e : room.timeline()) {
                long t = e.originServerTs();
                if (forwards ? t >= ts && (best == null || t < best.originServerTs())
                        : t <= ts && (best == null || t >= best.originServerTs())) {
                    best = e;
                }
            }
            if (best == null) {
                throw MatrixException.notFound("Unable to find event from " + ts + " in direction "
                        + (forwards ? "Direction.FORWARDS" : "Direction.BACKWARDS"));
            }
            return Json.object().put("event_id", best.eventId()).put("origin_server_ts", best.originServerTs());
        });
    }
}
