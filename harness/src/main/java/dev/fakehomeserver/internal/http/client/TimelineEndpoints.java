package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.BodyLimit;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.EventFilter;
import dev.fakehomeserver.internal.model.EventFormat;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Ids;
import dev.fakehomeserver.internal.model.Redactions;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.SyncData;
import dev.fakehomeserver.internal.model.TimelineReader;
import java.util.Collection;

/** Reading timelines ({@code /messages}, {@code /event}, {@code /context}) and redacting. */
public final class TimelineEndpoints {
    private final HomeserverModel model;
    private final TimelineReader reader;
    private final Redactions redactions;

    private final Relations relations;
    private final int maxEventBytes;

    public TimelineEndpoints(Services services, Relations relations) {
        this.relations = relations;
        this.maxEventBytes = services.options().maxEventBytes();
        this.model = services.model();
        this.reader = new TimelineReader(model);
        this.redactions = new Redactions(model);
    }

    public void register(RouteTable.Builder r) {
        r.client("GET", "/rooms/{roomId}/messages", AuthMode.REQUIRED, this::messages);
        r.client("GET", "/rooms/{roomId}/event/{eventId}", AuthMode.REQUIRED, this::event);
        r.client("GET", "/rooms/{roomId}/context/{eventId}", AuthMode.REQUIRED, this::context);
        BodyLimit event = BodyLimit.event(maxEventBytes);
        r.client("PUT", "/rooms/{roomId}/redact/{eventId}/{txnId}", AuthMode.REQUIRED, event, this::redact);
        // The legacy form without a transaction id, which Synapse still serves.
        r.client("POST", "/rooms/{roomId}/redact/{eventId}", AuthMode.REQUIRED, event, this::redact);
    }

    private Object messages(Call c) {
        boolean backwards = "b".equals(QueryParams.oneOf(c, "dir", "f", "b", "f"));
        int limit = Math.min(QueryParams.nonNegativeInt(c, "limit", 10), TimelineReader.MAX_LIMIT);
        EventFilter filter = EventFilter.parse(c.query("filter"));
        // An empty from is an absent one, as in Synapse's PaginationConfig.from_request (Quaternion sends it).
        String from = c.query("from") == null || c.query("from").isEmpty() ? null : c.query("from");
        TimelineReader.Page page = reader.messages(c.param("roomId"), c.who().userId(), from,
                c.query("to"), backwards, limit, filter);
        ObjectNode o = Json.object();
        o.set("chunk", format(page.chunk(), c.who()));
        o.put("start", page.start());
        if (page.end() != null) {
            o.put("end", page.end());
        }
        return o;
    }

    private Object event(Call c) {
        Event e = reader.event(c.param("roomId"), c.who().userId(), c.param("eventId"));
        return model.read(() -> withTransactionId(relations.format(e, c.who().userId(), model.now(), true), e,
                scope(c.who())));
    }

    private Object context(Call c) {
        int limit = Math.min(QueryParams.nonNegativeInt(c, "limit", 10), TimelineReader.MAX_LIMIT);
        TimelineReader.Context ctx = reader.context(c.param("roomId"), c.who().userId(), c.param("eventId"), limit,
                EventFilter.parse(c.query("filter")));
        ObjectNode o = Json.object();
        o.set("event", model.read(() -> withTransactionId(relations.format(ctx.event(), c.who().userId(), model.now(),
                true), ctx.event(), scope(c.who()))));
        o.set("events_before", format(ctx.before(), c.who()));
        o.set("events_after", format(ctx.after(), c.who()));
        o.put("start", ctx.start());
        o.put("end", ctx.end());
        o.set("state", format(ctx.state(), c.who()));
        return o;
    }

    /**
     * Events as the user sees them: the legacy v1 shape (top-level {@code user_id} and {@code age}) Synapse 1.94
     * still answers with here, with the {@code m.relations} aggregations it bundles.
     */
    private ArrayNode format(Collection<Event> events, Requester r) {
        String userId = r.userId();
        String scope = scope(r);
        return model.read(() -> {
            ArrayNode a = Json.NODES.arrayNode();
            long now = model.now();
            for (Event e : events) {
                a.add(withTransactionId(relations.format(e, userId, now, true), e, scope));
            }
            return a;
        });
    }

    private static String scope(Requester r) {
        return SyncData.scopeOf(r.userId(), r.deviceId(), r.appserviceId());
    }

    /** The sender's own device (or appservice) sees its transaction id, as in sync; caller holds the lock. */
    private ObjectNode withTransactionId(ObjectNode formatted, Event e, String scope) {
        if (e.txnId() != null && scope.equals(model.sync().sentFrom(e.eventId()))
                && formatted.get("unsigned") instanceof ObjectNode unsigned) {
            unsigned.put("transaction_id", e.txnId());
        }
        return formatted;
    }

    private Object redact(Call c) {
        Requester r = c.who();
        String reason = c.optString("reason");
        String txnId = c.param("txnId");
        // Keyed like sends (per appservice, not per ghost: spec-digest §4.9); the POST form is never deduplicated.
        String key = txnId == null ? "redact|" + model.ids().nonce()
                : c.path() + (r.isAppservice() ? "|as|" + r.appserviceId() : "|" + r.userId() + "|" + r.deviceId());
        String eventId = redactions.redact(r, c.param("roomId"), c.param("eventId"), reason, txnId, key);
        return Json.object().put("event_id", eventId);
    }
}
