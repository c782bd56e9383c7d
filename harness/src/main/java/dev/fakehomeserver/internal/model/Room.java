package dev.fakehomeserver.internal.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A room: its state, its timeline in append order, and its local aliases. Guarded by the model's lock: a room is
 * reached only through {@link HomeserverModel#room(String)} and {@link HomeserverModel#rooms()}, which refuse to
 * run outside {@code model.read/write}, so its accessors are only ever called under the lock. Collections are
 * handed out as unmodifiable views; the model's services change them.
 */
public final class Room {
    private final String roomId;
    private final String version;
    private final RoomState state = new RoomState();
    private final List<Event> timeline = new ArrayList<>();
    /** Local directory aliases pointing at this room (what Synapse's alias namespaces are tested against). */
    private final Set<String> aliases = new LinkedHashSet<>();
    private String directoryVisibility = "private";
    /** Users who left and then forgot the room ({@code POST /rooms/{id}/forget}). */
    private final Set<String> forgottenBy = new LinkedHashSet<>();
    private final List<Event> timelineView = Collections.unmodifiableList(timeline);
    private final Set<String> aliasesView = Collections.unmodifiableSet(aliases);
    private final Set<String> forgottenByView = Collections.unmodifiableSet(forgottenBy);

    public Room(String roomId, String version) {
        this.roomId = roomId;
        this.version = version;
    }

    public String roomId() { return roomId; }
    public String version() { return version; }
    /** The current state (read-only outside the model's append path). */
    public RoomState state() { return state; }
    /** The timeline in append order: an unmodifiable view. */
    public List<Event> timeline() { return timelineView; }
    /** The local aliases pointing at this room: an unmodifiable view. */
    public Set<String> aliases() { return aliasesView; }
    /** {@code "public"} or {@code "private"}: whether the room is in the server's public room list. */
    public String directoryVisibility() { return directoryVisibility; }
    /** The users who left and forgot the room: an unmodifiable view. */
    public Set<String> forgottenBy() { return forgottenByView; }

    /** Lists or unlists the room in the server's public room list. */
    public void directoryVisibility(String visibility) {
        this.directoryVisibility = visibility;
    }

    /** Appends a stored event to the timeline (the append path only). */
    void appendToTimeline(Event e) {
        timeline.add(e);
    }

    /** Puts a changed copy of a stored event (a redaction) in its place in the timeline. */
    void replaceInTimeline(Event e) {
        for (int i = timeline.size() - 1; i >= 0; i--) {
            if (timeline.get(i).eventId().equals(e.eventId())) {
                timeline.set(i, e);
                return;
            }
        }
    }

    void addAlias(String alias) {
        aliases.add(alias);
    }

    void removeAlias(String alias) {
        aliases.remove(alias);
    }

    /** Records that a user who is no longer in the room forgot it. */
    public void forget(String userId) {
        forgottenBy.add(userId);
    }
}
