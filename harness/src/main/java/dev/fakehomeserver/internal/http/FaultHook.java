package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.internal.base.MatrixException;
import java.time.Duration;

/** Decides, before an endpoint runs, whether a test asked this request to fail. */
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
    Action decide(String method, String path, String userId);

    /** A fault to apply to one request. */
    sealed interface Action permits Fail, Delay, Drop {}

    /** Answer with this error instead. */
    record Fail(MatrixException error) implements Action {}

    /** Wait, then answer normally. */
    record Delay(Duration delay) implements Action {}

    /** Close the connection without answering. */
    record Drop() implements Action {}
}
