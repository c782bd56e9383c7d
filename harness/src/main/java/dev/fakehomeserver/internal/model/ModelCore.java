package dev.fakehomeserver.internal.model;

/**
 * What the services the model builds for itself (the append path, ephemeral, media, sync data) need of it: its
 * lock, clock and change signal, and the event index. {@link HomeserverModel} implements it privately and hands
 * it to them, so they depend on this small interface instead of on the model that holds them: no cycle between
 * files, and none of them can reach the model's other services behind its back.
 */
interface ModelCore {
    /** The model's one monitor: what {@code HomeserverModel.read/write} take. */
    Object lock();

    long now();

    ChangeSignal signal();

    /** The seeded source of every id the model makes. */
    Ids ids();

    /** A room by id; the caller holds the lock. */
    Room room(String roomId);

    /** A stored event by id; the caller holds the lock. */
    Event event(String eventId);

    /** Indexes a just-appended event (by id, and the joined-rooms index for memberships). */
    void indexEvent(Event e);

    /** Replaces a stored event (after a redaction) in the index, the timeline and the state. */
    void replaceEvent(Event e);
}
