package dev.fakehomeserver.internal.model;

import dev.fakehomeserver.internal.base.MatrixException;

/** A position in the sync stream. */
public record SyncToken(long events, long other) {
    /** Parses a {@code since}: 400 {@code M_UNKNOWN} "Invalid stream token", as Synapse answers. */
    public static SyncToken parse(String s) {
        int us = s.indexOf('_');
        if (!s.startsWith("s") || us < 2) {
            throw MatrixException.unknown(400, "Invalid stream token");
        }
        try {
            return new SyncToken(Long.parseLong(s.substring(1, us)), Long.parseLong(s.substring(us + 1)));
        } catch (NumberFormatException e) {
            throw MatrixException.unknown(400, "Invalid stream token");
        }
    }

    @Override
    public String toString() {
        return "s" + events + "_" + other;
    }
}
