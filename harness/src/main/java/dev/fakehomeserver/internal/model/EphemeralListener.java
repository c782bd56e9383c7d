package dev.fakehomeserver.internal.model;

/**
 * Told about every typing, receipt and presence change, under the model's lock, right after it is stored: like
 * {@link AppendListener}, implementations only enqueue or signal, never block or call out.
 */
@FunctionalInterface
public interface EphemeralListener {
    void changed(EphemeralChange change);
}
