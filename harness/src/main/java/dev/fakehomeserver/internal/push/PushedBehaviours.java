package dev.fakehomeserver.internal.push;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.coverage.Behaviour;
import dev.fakehomeserver.internal.journal.CoverageLog;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.Room;

/**
 * The behaviours an appended event shows to an appservice it is routed to (a remote sender, one of its users
 * invited, kicked, banned or leaving, a redaction, an edit, an upgraded room followed), counted by the interest
 * router as it routes. Under the model's lock, on the append path: a few comparisons, no allocation.
 */
final class PushedBehaviours {
    private final CoverageLog coverage;
    /** {@code :test}: a sender without it is a remote user. */
    private final String localSuffix;

    PushedBehaviours(CoverageLog coverage, String serverName) {
        this.coverage = coverage;
        this.localSuffix = ":" + serverName;
    }

    void routed(Appservice as, Room room, Event e) {
        if (!e.sender().endsWith(localSuffix)) {
            coverage.saw(as.id(), Behaviour.REMOTE_USER_EVENT);
        }
        switch (e.type()) {
            case "m.room.member" -> member(as, room, e);
            case "m.room.redaction" -> coverage.saw(as.id(), Behaviour.REDACTION);
            default -> {
                JsonNode rel = e.content().get("m.relates_to");
                if (rel != null && "m.replace".equals(rel.path("rel_type").asText(null))) {
                    coverage.saw(as.id(), Behaviour.EDIT);
                }
            }
        }
    }

    private void member(Appservice as, Room room, Event e) {
        String target = e.stateKey();
        String membership = e.membership();
        if (target == null || membership == null || !as.matcher().isInterestedInUser(target)) {
            return;
        }
        Behaviour b = switch (membership) {
            case "invite" -> Behaviour.GHOST_INVITED;
            case "ban" -> Behaviour.GHOST_BANNED;
            case "leave" -> target.equals(e.sender()) ? Behaviour.GHOST_LEFT : Behaviour.GHOST_KICKED;
            // A first join (not a profile change) of the room that replaces an upgraded one.
            case "join" -> !wasJoined(e) && followedUpgrade(room, target) ? Behaviour.ROOM_UPGRADE_FOLLOWED : null;
            default -> null;
        };
        if (b != null) {
            coverage.saw(as.id(), b);
        }
    }

    private static boolean wasJoined(Event e) {
        return e.prevContent() != null && "join".equals(e.prevContent().path("membership").asText(null));
    }

    /**
     * Whether the room replaces an upgraded one (its create event names a predecessor) and the joiner is not the
     * one who upgraded it (who is joined by the upgrade itself).
     */
    private static boolean followedUpgrade(Room room, String joiner) {
        Event create = room.state().get("m.room.create", "");
        return create != null && create.content().has("predecessor") && !joiner.equals(create.sender());
    }
}
