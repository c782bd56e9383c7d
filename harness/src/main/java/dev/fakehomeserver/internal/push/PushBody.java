package dev.fakehomeserver.internal.push;

import dev.fakehomeserver.internal.base.LogText;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Writes a transaction's body so that no event can wedge the queue (issue 17, item 1). An event the fake cannot
 * write (content nested beyond {@link dev.fakehomeserver.internal.base.JsonLimits#MAX_OUTPUT_DEPTH}, which only
 * an in-process injection can store: HTTP bodies are refused deeper than the input limit) used to fail every
 * attempt before it was sent, leaving the transaction in flight for good. Now such an event is taken out of
 * the transaction, with a log line naming it, and the others go as usual. The happy path writes once; only a
 * failure pays for writing the events one by one to find the culprits.
 */
final class PushBody {
    private static final Logger LOG = Logger.getLogger(PushBody.class.getName());

    private PushBody() {}

    static byte[] write(Supplier<ObjectNode> body, ArrayNode events, List<String> eventIds,
                        Consumer<List<String>> keptIds, String appserviceId) {
        try {
            return Json.bytes(body.get());
        } catch (RuntimeException first) {
            List<String> kept = new ArrayList<>();
            ArrayNode writable = Json.NODES.arrayNode();
            for (int i = 0; i < events.size(); i++) {
                try {
                    Json.bytes(events.get(i));
                    writable.add(events.get(i));
                    kept.add(eventIds.get(i));
                } catch (RuntimeException e) {
                    LOG.warning(LogText.escape("not pushing event " + eventIds.get(i) + " to appservice "
                            + appserviceId + ": the fake cannot write it as JSON (" + e.getMessage() + ")"));
                }
            }
            events.removeAll();
            events.addAll(writable);
            keptIds.accept(List.copyOf(kept));
            return Json.bytes(body.get());
        }
    }

    static void logFailure(String appserviceId, String txnId, RuntimeException e) {
        LOG.warning(LogText.escape("transaction " + txnId + " to appservice " + appserviceId
                + " could not be written; counted as a failed attempt: " + e));
    }
}
