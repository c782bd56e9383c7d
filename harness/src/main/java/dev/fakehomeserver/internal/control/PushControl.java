package dev.fakehomeserver.internal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.faults.AppserviceFaults;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.http.client.QueryParams;
import dev.fakehomeserver.journal.AppserviceStatus;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.expect.Expectation;
import dev.fakehomeserver.expect.Expectations;
import java.time.Duration;
import java.util.Locale;

/**
 * What the homeserver sends to appservices, seen and steered by the test: {@code GET transactions} (the outbound
 * journal, {@code hs.transactions()}), {@code GET appservices/{id}/status} ({@code hs.appserviceStatus}),
 * {@code POST appservices/{id}/retry} ({@code hs.retryAppserviceNow}: the standalone server runs on the system
 * clock, which a test cannot advance) and {@code POST appservices/{id}/faults}
 * ({@code hs.faults().appservice(id)}).
 */
final class PushControl {
    private final Homeserver hs;

    PushControl(Homeserver hs) {
        this.hs = hs;
    }

    void register(RouteTable.Builder r) {
        String as = ControlApiRoutes.V1 + "/appservices/{id}";
        r.add("GET", ControlApiRoutes.V1 + "/transactions", AuthMode.REQUIRED, this::transactions);
        r.add("GET", as + "/status", AuthMode.REQUIRED, this::status);
        r.add("POST", as + "/retry", AuthMode.REQUIRED, Fields.only(this::retry));
        r.add("POST", as + "/faults", AuthMode.REQUIRED, Fields.only(this::faults, "down", "fail_transactions",
                "lose_answers", "paused"));
    }

    /**
     * {@code ?since=SEQ} for polling, {@code ?appservice=ID} and {@code ?kind=transaction|user_query|...} to
     * filter. {@code ?wait_ms=N&appservice=ID} with {@code event_id=E}, {@code sender=S&body=B} or {@code type=T}
     * answers once the appservice acknowledged a transaction holding such an event, else 408 with the failure
     * message of {@code AppserviceAssert.receivedEvent / receivedMessage / receivedEventOfType} ({@link Waits}).
     */
    private Object transactions(Call call) {
        long since = QueryParams.nonNegativeInt(call, "since", 0);
        String appservice = call.query("appservice");
        RecordedTransaction.Kind kind = kind(call.query("kind"));
        Duration wait = Waits.of(call);
        String eventId = call.query("event_id");
        String sender = call.query("sender");
        String body = call.query("body");
        String type = call.query("type");
        if (wait == null) {
            if (eventId != null || sender != null || body != null || type != null) {
                throw Waits.needsWait("'event_id', 'sender', 'body' and 'type'");
            }
            return transactions(since, appservice, kind);
        }
        String id = Waits.required(call, "appservice", "(the appservice to wait for)");
        FacadeCalls.call(() -> hs.registration(id));
        Expectations expect = Expectations.of(hs);
        Expectation e;
        if (eventId != null) {
            e = expect.appserviceReceivedEvent(id, eventId);
        } else if (body != null && sender != null) {
            e = expect.appserviceReceivedMessage(id, sender, body);
        } else if (type != null && sender == null && body == null) {
            e = expect.appserviceReceivedEventOfType(id, type);
        } else {
            throw MatrixException.missingParam("Say what the appservice should have received: 'event_id', or"
                    + " 'sender' and 'body', or 'type'");
        }
        return Waits.until(hs, wait, e, () -> transactions(since, appservice, kind));
    }

    private ObjectNode transactions(long since, String appservice, RecordedTransaction.Kind kind) {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("transactions");
        hs.transactions().records(t -> t.seq() > since
                        && (appservice == null || appservice.equals(t.appserviceId()))
                        && (kind == null || kind == t.kind()))
                .forEach(t -> list.add(toJson(t)));
        out.put("dropped", hs.transactions().dropped());
        return out;
    }

    private static RecordedTransaction.Kind kind(String v) {
        if (v == null) {
            return null;
        }
        try {
            return RecordedTransaction.Kind.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("'kind' must be one of transaction, user_query, alias_query, ping,"
                    + " thirdparty; got " + v);
        }
    }

    /**
     * The push state. {@code ?wait_ms=N&until=idle|up|down} answers once the appservice is idle (nothing queued,
     * nothing in flight: {@code hs.awaitAppserviceIdle}), up or down, else 408 with the failure message of
     * {@code AppserviceAssert.isIdle / isUp / isDown} ({@link Waits}).
     */
    private Object status(Call call) {
        String id = call.param("id");
        AppserviceStatus now = FacadeCalls.call(() -> hs.appserviceStatus(id));
        Duration wait = Waits.of(call);
        String until = call.query("until");
        if (wait == null) {
            if (until != null) {
                throw Waits.needsWait("'until'");
            }
            return describe(now, hs.faults().appservice(id));
        }
        Expectations expect = Expectations.of(hs);
        Expectation e = switch (Waits.required(call, "until", "(idle, up or down)")) {
            case "idle" -> expect.appserviceIsIdle(id);
            case "up" -> expect.appserviceIsUp(id);
            case "down" -> expect.appserviceIsDown(id);
            default -> throw MatrixException.invalidParam("'until' must be idle, up or down, got " + until);
        };
        return Waits.until(hs, wait, e, () -> describe(hs.appserviceStatus(id), hs.faults().appservice(id)));
    }

    private Object retry(Call call) {
        String id = call.param("id");
        FacadeCalls.run(() -> hs.retryAppserviceNow(id));
        return describe(hs.appserviceStatus(id), hs.faults().appservice(id));
    }

    /**
     * {@code {"down": true}} (every request fails, {@code markDown}), {@code {"down": false}} ({@code markUp}),
     * {@code {"fail_transactions": N}} (the next N transaction attempts fail), {@code {"lose_answers": N}} (the
     * next N transactions arrive but their answers are lost: {@code loseAnswers}), {@code {"paused": true}}
     * ({@code pausePushes}; false: {@code resumePushes}); any of them may be given together.
     */
    private Object faults(Call call) {
        String id = call.param("id");
        AppserviceFaults f = FacadeCalls.call(() -> hs.faults().appservice(id));
        ObjectNode body = call.object();
        JsonNode down = body.get("down");
        JsonNode n = body.get("fail_transactions");
        JsonNode lose = body.get("lose_answers");
        JsonNode paused = body.get("paused");
        if (down == null && n == null && lose == null && paused == null) {
            throw MatrixException.missingParam("Give 'down' (true or false), 'fail_transactions' (a count), "
                    + "'lose_answers' (a count) or 'paused' (true or false)");
        }
        if (down != null && !down.isBoolean()) {
            throw MatrixException.badJson("'down' must be true or false");
        }
        if (paused != null && !paused.isBoolean()) {
            throw MatrixException.badJson("'paused' must be true or false");
        }
        if (n != null && (!n.isIntegralNumber() || n.asLong() < 1 || n.asLong() > Integer.MAX_VALUE)) {
            throw MatrixException.badJson("'fail_transactions' must be a positive integer");
        }
        if (lose != null && (!lose.isIntegralNumber() || lose.asLong() < 1 || lose.asLong() > Integer.MAX_VALUE)) {
            throw MatrixException.badJson("'lose_answers' must be a positive integer");
        }
        if (lose != null) {
            f.loseAnswers(lose.asInt());
        }
        if (paused != null) {
            if (paused.asBoolean()) {
                f.pausePushes();
            } else {
                f.resumePushes();
            }
        }
        if (down != null) {
            if (down.asBoolean()) {
                f.markDown();
            } else {
                f.markUp();
            }
        }
        if (n != null) {
            f.failTransactions(n.asInt());
        }
        return faultsJson(f);
    }

    private static ObjectNode describe(AppserviceStatus s, AppserviceFaults f) {
        ObjectNode o = Json.object();
        o.put("appservice_id", s.appserviceId());
        o.put("down", s.down());
        o.put("in_flight", s.inFlight());
        o.put("queued_transactions", s.queuedTransactions());
        o.put("queued_events", s.queuedEvents());
        o.put("queued_ephemeral", s.queuedEphemeral());
        o.put("next_retry", s.nextRetry() == null ? null : s.nextRetry().toString());
        o.put("backoff_seconds", s.backoffSeconds());
        o.set("faults", faultsJson(f));
        return o;
    }

    private static ObjectNode faultsJson(AppserviceFaults f) {
        return Json.object().put("marked_down", f.isMarkedDown())
                .put("pending_transaction_failures", f.pendingTransactionFailures())
                .put("pending_lost_answers", f.pendingLostAnswers()).put("paused", f.isPaused()).put("hits", f.hits());
    }

    /** {@link RecordedTransaction}'s fields in snake_case; {@code kind} in lower case, latency in milliseconds. */
    static ObjectNode toJson(RecordedTransaction t) {
        ObjectNode o = Json.object();
        o.put("seq", t.seq());
        o.put("appservice_id", t.appserviceId());
        o.put("kind", t.kind().name().toLowerCase(Locale.ROOT));
        o.put("txn_id", t.txnId());
        o.put("attempt", t.attempt());
        ArrayNode ids = o.putArray("event_ids");
        t.eventIds().forEach(ids::add);
        o.put("method", t.method());
        o.put("path", t.path());
        o.put("query", t.query());
        JournalControl.body(o, "request_body", t.requestBody());
        o.put("status", t.status());
        JournalControl.body(o, "response_body", t.responseBody());
        o.put("error", t.error());
        o.put("succeeded", t.succeeded());
        o.put("latency_ms", t.latency().toMillis());
        o.put("sent_at", t.sentAt().toString());
        return o;
    }
}
