package dev.fakehomeserver.internal.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.AppserviceCalls;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.journal.RecordedTransaction.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * The requests to appservices other than transactions, with Synapse's reading of the answers: user and alias
 * queries (spec-digest §2.4–2.5), ping (§2.6) and third-party lookups (§2.7). None of them retries; every error
 * reads as "no" or "nothing".
 */
public final class AppserviceQueries implements AppserviceCalls {
    private final HomeserverModel model;
    private final AppserviceClient client;
    private final Pushers pushers;

    AppserviceQueries(HomeserverModel model, AppserviceClient client, Pushers pushers) {
        this.model = model;
        this.client = client;
        this.pushers = pushers;
    }

    private static boolean hasUrl(Appservice as) {
        return as.url() != null && !as.url().isEmpty();
    }

    /**
     * Asks the appservices interested in {@code userId}, in registration order, until one says it exists
     * (a 2xx with a JSON body that is not {@code null}). Completes with the answer, never exceptionally.
     */
    CompletionStage<Boolean> queryUser(String userId) {
        return askInTurn(as -> as.matcher().isInterestedInUser(userId),
                Outbound.get(Kind.USER_QUERY, "/_matrix/app/v1/users/" + Outbound.quote(userId), ""));
    }

    /**
     * Runs the user queries for {@code userIds} one after the other (Synapse asks before pushing an event from a
     * user it does not know); null when there are none. Never completes exceptionally.
     */
    CompletableFuture<Void> queryUsers(List<String> userIds) {
        if (userIds.isEmpty()) {
            return null;
        }
        // Started on the client's threads: the append path calls this under the model's lock.
        CompletableFuture<Void> chain = CompletableFuture.runAsync(() -> { }, AppserviceClient.executor());
        for (String u : userIds) {
            chain = chain.thenCompose(v -> queryUser(u).toCompletableFuture()).thenApply(exists -> null);
        }
        return chain.exceptionally(err -> null);
    }

    @Override
    public CompletionStage<Void> queryAlias(String alias) {
        return askInTurn(as -> as.matcher().isInterestedInAlias(alias),
                Outbound.get(Kind.ALIAS_QUERY, "/_matrix/app/v1/rooms/" + Outbound.quote(alias), ""))
                .thenApply(found -> null);
    }

    private CompletionStage<Boolean> askInTurn(Predicate<Appservice> which, Outbound out) {
        CompletableFuture<Boolean> chain = CompletableFuture.completedFuture(false);
        for (Appservice as : model.appservices()) {
            if (!which.test(as) || !hasUrl(as)) {
                continue; // Synapse counts an appservice without url as "no"
            }
            chain = chain.thenCompose(found -> found ? CompletableFuture.completedFuture(true)
                    : client.send(as, out).thenApply(o -> o.succeeded() && !o.json().isNull()).toCompletableFuture());
        }
        return chain.exceptionally(err -> false);
    }

    @Override
    public CompletionStage<Long> ping(Appservice as, JsonNode transactionId) {
        ObjectNode body = Json.object();
        // Synapse always sends the key, null when the client gave none, and passes any value through unchecked.
        body.set("transaction_id", transactionId == null ? Json.NODES.nullNode() : transactionId);
        Outbound out = new Outbound(Kind.PING, "POST", "/_matrix/app/v1/ping", "", Json.bytes(body), false, null, 1,
                List.of());
        long start = System.nanoTime();
        return client.send(as, out).thenApply(o -> {
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (o.timedOut()) {
                // Synapse's words for its own timeout (60 s there; the fake's appserviceTimeout here). Not in a
                // recorded family: a recording would wait out Synapse's 60 s.
                throw new MatrixException(504, "M_CONNECTION_TIMEOUT", "Timeout waiting for response from remote server");
            }
            if (!o.answered()) {
                throw new MatrixException(502, "M_CONNECTION_FAILED", Outcome.describe(o.failure()));
            }
            if (!o.is2xx()) {
                throw new MatrixException(502, "M_BAD_STATUS", ("HTTP " + o.status() + " " + reason(o.status())).trim())
                        .with("status", o.status()).with("body", o.body());
            }
            if (o.json() == null) {
                throw new MatrixException(502, "M_CONNECTION_FAILED", o.error());
            }
            // Synapse 1.132+: a successful ping retries a down appservice's transactions at once.
            pushers.of(as).retryNow();
            return ms;
        });
    }

    @Override
    public CompletionStage<ObjectNode> thirdPartyProtocols(String onlyProtocol) {
        // Synapse caches each answer for an hour; the fake asks every time, so tests see changes at once.
        Map<String, List<ObjectNode>> infos = new LinkedHashMap<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Appservice as : model.appservices()) {
            for (String p : as.registration().protocols()) {
                if ((onlyProtocol != null && !p.equals(onlyProtocol)) || !hasUrl(as)) {
                    continue;
                }
                infos.putIfAbsent(p, new ArrayList<>());
                Outbound out = Outbound.get(Kind.THIRDPARTY, "/_matrix/app/v1/thirdparty/protocol/" + Outbound.quote(p), "");
                chain = chain.thenCompose(v -> client.send(as, out).thenAccept(o -> {
                    ObjectNode info = protocolInfo(as, o);
                    if (info != null) {
                        synchronized (infos) {
                            infos.get(p).add(info);
                        }
                    }
                }).toCompletableFuture());
            }
        }
        return chain.thenApply(v -> {
            ObjectNode result = Json.object();
            synchronized (infos) {
                infos.forEach((p, list) -> {
                    if (!list.isEmpty()) {
                        // Instances are merged; the other fields come from the first appservice.
                        ObjectNode merged = list.get(0).deepCopy();
                        ArrayNode instances = (ArrayNode) merged.get("instances");
                        for (ObjectNode other : list.subList(1, list.size())) {
                            instances.addAll((ArrayNode) other.get("instances"));
                        }
                        result.set(p, merged);
                    }
                });
            }
            return result;
        });
    }

    /** A valid protocol answer (a list-valued {@code instances}) with {@code instance_id}s added, or null. */
    private static ObjectNode protocolInfo(Appservice as, Outcome o) {
        JsonNode json = o.succeeded() ? o.json() : null;
        if (json == null || !json.isObject() || !json.path("instances").isArray()) {
            return null;
        }
        ObjectNode info = json.deepCopy();
        for (JsonNode instance : info.get("instances")) {
            if (instance.isObject() && instance.hasNonNull("network_id")) {
                ((ObjectNode) instance).put("instance_id", as.id() + "|" + instance.get("network_id").asText());
            }
        }
        return info;
    }

    @Override
    public CompletionStage<ArrayNode> thirdPartyLookup(String kind, String protocol, String encodedQuery) {
        String field = kind.equals("user") ? "userid" : "alias";
        List<CompletableFuture<List<JsonNode>>> asked = new ArrayList<>();
        for (Appservice as : model.appservices()) {
            if (!as.registration().protocols().contains(protocol) || !hasUrl(as)) {
                continue;
            }
            Outbound out = Outbound.get(Kind.THIRDPARTY,
                    "/_matrix/app/v1/thirdparty/" + kind + "/" + Outbound.quote(protocol), encodedQuery);
            asked.add(client.send(as, out).thenApply(o -> validResults(o, field)).toCompletableFuture());
        }
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(v -> {
            ArrayNode all = Json.NODES.arrayNode();
            asked.forEach(f -> all.addAll(f.join()));
            return all;
        });
    }

    /** Synapse's {@code _is_valid_3pe_result}: string {@code field} and {@code protocol}, object {@code fields}. */
    private static List<JsonNode> validResults(Outcome o, String field) {
        JsonNode json = o.succeeded() ? o.json() : null;
        List<JsonNode> out = new ArrayList<>();
        if (json != null && json.isArray()) {
            for (JsonNode r : json) {
                if (r.isObject() && r.path(field).isTextual() && r.path("protocol").isTextual()
                        && r.path("fields").isObject()) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** The reason phrase Synapse's error text carries ("HTTP 500 Internal Server Error"). */
    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status >= 300 && status < 400 ? "Redirect" : "";
        };
    }
}
