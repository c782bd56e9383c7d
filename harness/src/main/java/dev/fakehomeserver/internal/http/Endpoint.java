package dev.fakehomeserver.internal.http;

/**
 * One route's handler. It may return a {@link Response}, any JSON-serialisable value (answered as 200), or a
 * {@link java.util.concurrent.CompletionStage} of either, for endpoints that call out to the appservice (ping,
 * alias queries) and must not block the server's threads while they wait.
 */
@FunctionalInterface
public interface Endpoint {
    Object handle(Call call) throws Exception;
}
