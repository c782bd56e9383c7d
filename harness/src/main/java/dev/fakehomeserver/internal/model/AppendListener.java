package dev.fakehomeserver.internal.model;

/**
 * Told about every event right after the append path committed it, in stream order, still under the model's
 * lock: implementations must only enqueue or signal, never block or call out.
 */
@FunctionalInterface
public interface AppendListener {
    void appended(Room room, Event event);
}
