package dev.fakehomeserver.internal.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.EventFormat;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Room;
import dev.fakehomeserver.internal.model.User;
import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.RoomView;
import dev.fakehomeserver.view.UserView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns the model's mutable objects into the public immutable views, each read under the model's lock. */
public final class Snapshots {
    private final HomeserverModel model;

    public Snapshots(HomeserverModel model) {
        this.model = model;
    }

    public List<RoomView> rooms() {
        return model.read(() -> model.rooms().stream().map(Snapshots::room).toList());
    }

    /** A room by id or local alias. */
    public Optional<RoomView> room(String idOrAlias) {
        return model.read(() -> {
            String id = idOrAlias.startsWith("#") ? model.roomForAlias(idOrAlias) : idOrAlias;
            Room r = id == null ? null : model.room(id);
            return r == null ? Optional.<RoomView>empty() : Optional.of(room(r));
        });
    }

    public List<UserView> users() {
        return model.read(() -> model.users().stream().map(this::user).toList());
    }

    public Optional<UserView> user(String userId) {
        return model.read(() -> {
            User u = model.user(userId);
            return u == null ? Optional.<UserView>empty() : Optional.of(user(u));
        });
    }

    public Optional<EventView> event(String eventId) {
        return model.read(() -> {
            Event e = model.event(eventId);
            return e == null ? Optional.<EventView>empty() : Optional.of(event(e));
        });
    }

    private static RoomView room(Room r) {
        Map<String, String> memberships = new LinkedHashMap<>();
        for (Event m : r.state().ofType("m.room.member")) {
            memberships.put(m.stateKey(), m.membership());
        }
        List<EventView> state = r.state().all().stream().map(Snapshots::event).toList();
        List<EventView> timeline = new ArrayList<>(r.timeline().size());
        for (Event e : r.timeline()) {
            timeline.add(event(e));
        }
        Event name = r.state().get("m.room.name", "");
        Event topic = r.state().get("m.room.topic", "");
        Event canonical = r.state().get("m.room.canonical_alias", "");
        return new RoomView(r.roomId(), r.version(), text(name, "name"), text(topic, "topic"),
                text(canonical, "alias"), List.copyOf(r.aliases()), Collections.unmodifiableMap(memberships), state,
                Collections.unmodifiableList(timeline), "public".equals(r.directoryVisibility()));
    }

    private static String text(Event e, String field) {
        return e == null ? null : e.content().path(field).isTextual() ? e.content().get(field).asText() : null;
    }

    private UserView user(User u) {
        List<UserView.Device> devices = u.devices().values().stream()
                .map(d -> new UserView.Device(d.deviceId(), d.displayName())).toList();
        return new UserView(u.userId(), u.displayname(), u.avatarUrl(), u.appserviceId(), u.isRemote(), devices,
                List.copyOf(model.joinedRooms(u.userId())));
    }

    public static EventView event(Event e) {
        @SuppressWarnings("unchecked")
        Map<String, Object> content = (Map<String, Object>) freeze(e.content());
        return new EventView(e.eventId(), e.roomId(), e.type(), e.sender(), e.stateKey(), content,
                e.originServerTs(), e.stream(), e.redactedBecause() != null, unsigned(e));
    }

    /**
     * The client format's unsigned block minus {@code age}, which depends on when it is read, not on the event;
     * likewise the age inside {@code redacted_because}, frozen when the redaction was applied (a scene loaded
     * later applies its redactions later).
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> unsigned(Event e) {
        if (e.prevContent() == null && e.unsignedExtra() == null && e.redactedBecause() == null) {
            return Map.of(); // most events: no need to render them
        }
        ObjectNode u = (ObjectNode) EventFormat.client(e, e.originServerTs()).get("unsigned");
        u.remove("age");
        if (u.path("redacted_because").path("unsigned").isObject()) {
            ((ObjectNode) u.get("redacted_because").get("unsigned")).remove("age");
        }
        return (Map<String, Object>) freeze(u);
    }

    /** A deep, unmodifiable copy of a JSON tree as maps, lists, strings, numbers, booleans and nulls. */
    static Object freeze(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return n != null && n.isNull() ? null : Map.of();
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                m.put(f.getKey(), f.getValue().isNull() ? null : freeze(f.getValue()));
            }
            return Collections.unmodifiableMap(m);
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(x.isNull() ? null : freeze(x)));
            return Collections.unmodifiableList(l);
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToInt() ? (Object) n.intValue() : (Object) n.longValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        return n.asText();
    }
}
