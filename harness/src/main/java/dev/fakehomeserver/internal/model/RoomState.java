package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The current state of a room: one event per (type, state_key), plus a membership index. */
public final class RoomState {
    private final Map<String, Map<String, Event>> byType = new LinkedHashMap<>();
    private final Map<String, String> membership = new HashMap<>();
    private final Set<String> joined = new LinkedHashSet<>();
    /** Handed out instead of the set: only the append path changes the state. */
    private final Set<String> joinedView = Collections.unmodifiableSet(joined);

    public Event get(String type, String stateKey) {
        Map<String, Event> m = byType.get(type);
        return m == null ? null : m.get(stateKey);
    }

    /** Puts a state event and returns the one it replaced, or null. */
    Event put(Event e) {
        Event prev = byType.computeIfAbsent(e.type(), k -> new LinkedHashMap<>()).put(e.stateKey(), e);
        if ("m.room.member".equals(e.type())) {
            String m = e.membership();
            membership.put(e.stateKey(), m);
            if ("join".equals(m)) {
                joined.add(e.stateKey());
            } else {
                joined.remove(e.stateKey());
            }
        }
        return prev;
    }

    /** Replaces a stored state event by its redacted copy, without touching indexes keyed on its old content. */
    void replace(Event e) {
        Map<String, Event> m = byType.get(e.type());
        if (m != null && m.containsKey(e.stateKey()) && m.get(e.stateKey()).eventId().equals(e.eventId())) {
            m.put(e.stateKey(), e);
        }
    }

    /** Every state event: a copy, in type order. */
    public Collection<Event> all() {
        List<Event> out = new ArrayList<>();
        byType.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    public Collection<Event> ofType(String type) {
        Map<String, Event> m = byType.get(type);
        return m == null ? List.of() : Collections.unmodifiableCollection(m.values());
    }

    /** join, invite, leave, ban, knock, or null when the user never had a membership. */
    public String membership(String userId) {
        return membership.get(userId);
    }

    /** The joined members, in join order: an unmodifiable view. */
    public Set<String> joined() {
        return joinedView;
    }

    public String joinRule() {
        Event e = get("m.room.join_rules", "");
        return e == null ? "invite" : e.content().path("join_rule").asText("invite");
    }

    /** The power level of a user, with the defaults of the spec when there is no power levels event. */
    public long powerLevel(String userId) {
        Event pl = get("m.room.power_levels", "");
        if (pl == null) {
            Event create = get("m.room.create", "");
            return create != null && userId.equals(create.sender()) ? 100 : 0;
        }
        JsonNode users = pl.content().path("users");
        if (users.has(userId)) {
            return users.get(userId).asLong();
        }
        return pl.content().path("users_default").asLong(0);
    }

    /** The level needed for an action key such as {@code kick}, {@code ban}, {@code invite}, {@code redact}. */
    public long actionLevel(String action, long dflt) {
        Event pl = get("m.room.power_levels", "");
        if (pl == null) {
            return "invite".equals(action) ? 0 : dflt;
        }
        return pl.content().path(action).asLong(dflt);
    }

    /** The level needed to send an event of this type. */
    public long eventLevel(String type, boolean state) {
        Event pl = get("m.room.power_levels", "");
        if (pl == null) {
            return state ? 50 : 0;
        }
        JsonNode events = pl.content().path("events");
        if (events.has(type)) {
            return events.get(type).asLong();
        }
        return state ? pl.content().path("state_default").asLong(50) : pl.content().path("events_default").asLong(0);
    }
}
