package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.faults.Fault;

/** Decides, before an endpoint runs, whether a test asked this request to fail ({@code hs.faults()} rules). */
@FunctionalInterface
public interface FaultHook {
    /** No faults at all. */
    FaultHook NONE = (method, path, userId) -> null;

    /**
     * @param path the path as sent; rules match it through {@link dev.fakehomeserver.journal.PathPattern}, the
     *     one rule for what a path is without its {@code /_matrix/client/vN} prefix (journal asserts use it too)
     * @param userId the acting user, or null before/without authentication
     * @return what to do instead of answering normally, or null to go on
     */
    Fault decide(String method, String path, String userId);
}
