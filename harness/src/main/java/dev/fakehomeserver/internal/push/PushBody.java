package dev.fakehomeserver.internal.push;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.LogText;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.EventFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Writes a transaction's body so that no event can wedge the queue (issue 17, item 1). An event the fake cannot
 * write (content nested beyond {@link dev.fakehomeserver.internal.base.JsonLimits#MAX_OUTPUT_DEPTH}, which the
 * append path now refuses, so this is a second line) used to fail every attempt before it was sent, leaving the
 * transaction in flight for good. Now such an event is taken out of the transaction, with a log line naming it,
 * and the others go as usual. The happy path writes once, straight from the events (no tree per event); only a
 * failure pays for writing the events one by one to find the culprits.
 */
final class PushBody {
    private static final Logger LOG = Logger.getLogger(PushBody.class.getName());

    private PushBody() {}

    /** Writes a whole body around the events given, each by {@link EventFormat#writeAppserviceV1}. */
    interface Writer {
        void write(JsonGenerator g, List<Event> events) throws IOException;
    }

    /**
     * The body {@code body} writes; if it cannot be written, the events that cannot be written alone are left
     * out, {@code kept} hears the others, and the body is written with those.
     */
    static byte[] write(Writer body, List<Event> events, long now, Consumer<List<Event>> kept,
                        String appserviceId) {
        try {
            return Json.write(g -> body.write(g, events));
        } catch (RuntimeException first) {
            List<Event> writable = new ArrayList<>();
            for (Event e : events) {
                try {
                    Json.write(g -> EventFormat.writeAppserviceV1(e, now, g));
                    writable.add(e);
                } catch (RuntimeException failed) {
                    LOG.warning(LogText.escape("not pushing event " + e.eventId() + " to appservice "
                            + appserviceId + ": the fake cannot write it as JSON (" + failed.getMessage() + ")"));
                }
            }
            kept.accept(List.copyOf(writable));
            return Json.write(g -> body.write(g, writable));
        }
    }

    static void logFailure(String appserviceId, String txnId, RuntimeException e) {
        LOG.warning(LogText.escape("transaction " + txnId + " to appservice " + appserviceId
                + " could not be written; counted as a failed attempt: " + e));
    }
}
