package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
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

    /**
     * Pings an appservice ({@code POST /_matrix/app/v1/ping}, spec-digest §2.6) after the caller checked who
     * asks and that it has a url. Completes with the duration in milliseconds, or fails with the
     * {@link MatrixException} to answer (502 {@code M_BAD_STATUS}, 502 {@code M_CONNECTION_FAILED}, 504
     * {@code M_CONNECTION_TIMEOUT}).
     */
    default CompletionStage<Long> ping(Appservice as, JsonNode transactionId) {
        return CompletableFuture.failedFuture(
                new MatrixException(502, "M_CONNECTION_FAILED", "No appservice client in this homeserver"));
    }

    /**
     * The third-party protocols the appservices serve ({@code GET /thirdparty/protocols}), or only
     * {@code onlyProtocol} when not null: a map from protocol to its merged metadata (spec-digest §2.7).
     */
    default CompletionStage<ObjectNode> thirdPartyProtocols(String onlyProtocol) {
        return CompletableFuture.completedFuture(Json.object());
    }

    /**
     * A third-party user or location lookup ({@code kind} is {@code user} or {@code location}) forwarded to every
     * appservice serving {@code protocol}, with the client's query string (access_token removed, already
     * encoded). Completes with the concatenated valid results, possibly empty, never exceptionally.
     */
    default CompletionStage<ArrayNode> thirdPartyLookup(String kind, String protocol, String encodedQuery) {
        return CompletableFuture.completedFuture(Json.NODES.arrayNode());
    }
}
