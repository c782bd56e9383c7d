package dev.fakehomeserver.internal.model;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Calls from the client API out to appservices that the push package implements. The default does nothing, so
 * the model works without a pusher.
 */
public interface AppserviceCalls {
    AppserviceCalls NONE = alias -> CompletableFuture.completedFuture(null);

    /**
     * Asks each appservice whose alias namespace matches a missing local alias, in registration order, with
     * {@code GET /_matrix/app/v1/rooms/{alias}}, stopping at the first 2xx (spec-digest §2.5). Completes when
     * the asking is over, whatever the answers; the caller then reads the directory again.
     */
    CompletionStage<Void> queryAlias(String alias);
}
