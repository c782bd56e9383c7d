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
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Turns the model's mutable objects into the public immutable views, each read under the model's lock.
 *
 * <p>Every {@code eventually()} check snapshots its room again, and converting each timeline event to an
 * {@link EventView} (content frozen into maps) made a check cost grow with the room: in a run of 2,000 scenarios
 * in one room the last checks took twice the first. A stored {@link Event} is immutable (a redaction puts a new
 * one in its place), so its view is kept beside it, per room, and reused while the same instance is there:
 * some 350 bytes per text message of a room read at least once (docs/reliability.md).
 */
public final class Snapshots {
    private final HomeserverModel model;
    /** Views already made, per room; guarded by the model's lock. Weak keys: a room dropped by a reset goes. */
    private final Map<Room, RoomViews> views = new WeakHashMap<>();

    public Snapshots(HomeserverModel model) {
        this.model = model;
    }

    public List<RoomView> rooms() {
        return model.read(() -> model.rooms().stream().map(this::room).toList());
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

    private RoomView room(Room r) {
        RoomViews cached = views.computeIfAbsent(r, k -> new RoomViews());
        Map<String, String> memberships = new LinkedHashMap<>();
        for (Event m : r.state().ofType("m.room.member")) {
            memberships.put(m.stateKey(), m.membership());
        }
        List<EventView> state = cached.state(r.state().all());
        List<EventView> timeline = cached.timeline(r.timeline());
        Event name = r.state().get("m.room.name", "");
        Event topic = r.state().get("m.room.topic", "");
        Event canonical = r.state().get("m.room.canonical_alias", "");
        return new RoomView(r.roomId(), r.version(), text(name, "name"), text(topic, "topic"),
                text(canonical, "alias"), List.copyOf(r.aliases()), Collections.unmodifiableMap(memberships), state,
                timeline, "public".equals(r.directoryVisibility()));
    }

    /**
     * One room's views: the timeline's index for index with the events they were made from (a view is reused
     * while the same event instance is at its index), and the state's by event instance.
     */
    private static final class RoomViews {
        private Event[] from = new Event[0];
        private EventView[] timeline = new EventView[0];
        private Map<Event, EventView> state = new IdentityHashMap<>();

        List<EventView> timeline(List<Event> events) {
            int n = events.size();
            if (n > from.length || (from.length > 64 && n < from.length / 4)) {
                int size = Math.max(16, n + n / 2);
                from = Arrays.copyOf(from, size);
                timeline = Arrays.copyOf(timeline, size);
            }
            EventView[] out = new EventView[n];
            for (int i = 0; i < n; i++) {
                Event e = events.get(i);
                if (from[i] != e) {
                    from[i] = e;
                    timeline[i] = event(e);
                }
                out[i] = timeline[i];
            }
            return Collections.unmodifiableList(Arrays.asList(out));
        }

        List<EventView> state(Collection<Event> events) {
            Map<Event, EventView> next = new IdentityHashMap<>(events.size() * 2);
            List<EventView> out = new ArrayList<>(events.size());
            for (Event e : events) {
                EventView v = state.get(e);
                if (v == null) {
                    v = event(e);
                }
                next.put(e, v);
                out.add(v);
            }
            state = next;
            return Collections.unmodifiableList(out);
        }
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
