package dev.fakehomeserver.internal.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A room: its state, its timeline in append order, and its local aliases. Guarded by the model's lock. */
public final class Room {
    public final String roomId;
    public final String version;
    public final RoomState state = new RoomState();
    public final List<Event> timeline = new ArrayList<>();
    /** Local directory aliases pointing at this room (what Synapse's alias namespaces are tested against). */
    public final Set<String> aliases = new LinkedHashSet<>();
    public String directoryVisibility = "private";
    /** Users who left and then forgot the room ({@code POST /rooms/{id}/forget}). */
    public final Set<String> forgottenBy = new LinkedHashSet<>();

    public Room(String roomId, String version) {
        this.roomId = roomId;
        this.version = version;
    }
}
