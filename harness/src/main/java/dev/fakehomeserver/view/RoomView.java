package dev.fakehomeserver.view;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A room as the fake holds it, frozen at the moment it was read: later events do not change it.
 *
 * <pre>{@code
 * RoomView room = hs.room("#weather_paris:test");
 * assertThat(room.name()).isEqualTo("Paris");
 * assertThat(room.joinedMembers()).contains("@weather_paris:test");
 * assertThat(room.messages()).extracting(EventView::body).contains("Paris: sunny");
 * }</pre>
 *
 * @param roomId the room id
 * @param version the room version
 * @param name the {@code m.room.name}, or null
 * @param topic the {@code m.room.topic}, or null
 * @param canonicalAlias the {@code m.room.canonical_alias} alias, or null
 * @param aliases the local directory aliases pointing at this room
 * @param memberships every user with a membership, to {@code join}, {@code invite}, {@code leave}, {@code ban}
 *     or {@code knock}, in first-seen order
 * @param state the current state events
 * @param timeline every event of the room in append order
 * @param published whether the room is listed in the public room directory
 */
public record RoomView(String roomId, String version, String name, String topic, String canonicalAlias,
                       List<String> aliases, Map<String, String> memberships, List<EventView> state,
                       List<EventView> timeline, boolean published) {

    /** The sender of {@code m.room.create}, or null for a room without one. */
    public String creator() {
        return state("m.room.create", "").map(EventView::sender).orElse(null);
    }

    /** The {@code join_rule} of {@code m.room.join_rules}; {@code invite} when there is none, as the rules read it. */
    public String joinRule() {
        return state("m.room.join_rules", "").map(e -> e.content().get("join_rule"))
                .filter(String.class::isInstance).map(String.class::cast).orElse("invite");
    }

    /** The users whose membership is {@code join}, sorted. */
    public Set<String> joinedMembers() {
        Set<String> out = new TreeSet<>();
        memberships.forEach((user, m) -> {
            if ("join".equals(m)) {
                out.add(user);
            }
        });
        return out;
    }

    /** A user's membership, or null when the user never had one. */
    public String membership(String userId) {
        return memberships.get(userId);
    }

    /** The current state event of this type and key. */
    public Optional<EventView> state(String type, String stateKey) {
        return state.stream().filter(e -> e.type().equals(type) && e.stateKey().equals(stateKey)).findFirst();
    }

    /** The {@code m.room.message} events, in order. */
    public List<EventView> messages() {
        return timeline.stream().filter(e -> "m.room.message".equals(e.type())).toList();
    }

    /** The room id, then the canonical alias and name when there are. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(roomId);
        if (canonicalAlias != null) {
            sb.append(' ').append(canonicalAlias);
        }
        if (name != null) {
            sb.append(" \"").append(name).append('"');
        }
        return sb.toString();
    }
}
