package dev.fakehomeserver.internal.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.http.client.QueryParams;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.journal.RecordedRequest;
import dev.fakehomeserver.expect.Expectations;
import dev.fakehomeserver.expect.WhatTheFakeSaw;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * {@code GET journal} (the client-server requests the fake answered, as {@link RecordedRequest} fields in
 * snake_case) and {@code POST reset} ({@code Homeserver.reset()}: keeps registrations, tokens, port; clears
 * faults and applies the seeds again). The outbound journal is {@link PushControl}'s {@code GET transactions}.
 */
final class JournalControl {
    private final Homeserver hs;

    JournalControl(Homeserver hs) {
        this.hs = hs;
    }

    void register(RouteTable.Builder r) {
        r.add("GET", ControlApiRoutes.V1 + "/journal", AuthMode.REQUIRED, this::journal);
        r.add("POST", ControlApiRoutes.V1 + "/reset", AuthMode.REQUIRED, Fields.only(call -> {
            hs.reset();
            return Json.object();
        }));
    }

    /**
     * {@code ?since=SEQ} answers only the requests after that sequence number, {@code ?method=M&path=P} only those
     * matching (a path pattern as in {@code JournalAssert.hasRequest}). With {@code ?wait_ms=N} and a
     * {@code path}, it answers once such a request is there, else 408 with the failure message of
     * {@code JournalAssert.hasRequest} ({@link Waits}).
     */
    private Object journal(Call call) {
        long since = QueryParams.nonNegativeInt(call, "since", 0);
        String method = call.query("method") == null ? "*" : call.query("method");
        String path = call.query("path");
        Predicate<RecordedRequest> which = path == null ? r -> r.seq() > since
                : WhatTheFakeSaw.request(method, path).and(r -> r.seq() > since);
        Duration wait = Waits.of(call);
        if (wait == null) {
            return requests(which);
        }
        Waits.required(call, "path", "(the path pattern of the request to wait for)");
        return Waits.until(hs, wait, Expectations.of(hs).journalHasRequest(method, path, since), () -> requests(which));
    }

    private ObjectNode requests(Predicate<RecordedRequest> which) {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("requests");
        for (RecordedRequest r : hs.journal().requests(which)) {
            list.add(toJson(r));
        }
        out.put("dropped", hs.journal().dropped());
        return out;
    }

    static ObjectNode toJson(RecordedRequest r) {
        ObjectNode o = Json.object();
        o.put("seq", r.seq());
        o.put("time", r.time().toString());
        o.put("method", r.method());
        o.put("path", r.path());
        o.put("query", r.query());
        o.put("appservice_id", r.appserviceId());
        o.put("user_id", r.userId());
        o.put("device_id", r.deviceId());
        o.put("status", r.status());
        o.put("errcode", r.errcode());
        o.put("error", r.error());
        body(o, "request_body", r.requestBody());
        body(o, "response_body", r.responseBody());
        return o;
    }

    /**
     * A recorded body as a reader wants it: embedded JSON when it is JSON (decoded once, not a string to decode
     * again), else the raw text; {@code <field>_format} says which ({@code "json"} or {@code "text"}, null when
     * there was no body). A body the journal cut short is no longer JSON, so it comes as text.
     */
    static void body(ObjectNode o, String field, String body) {
        if (body == null || body.isEmpty()) {
            o.putNull(field);
            o.putNull(field + "_format");
            return;
        }
        try {
            o.set(field, Json.parse(body.getBytes(StandardCharsets.UTF_8)));
            o.put(field + "_format", "json");
        } catch (MatrixException notJson) {
            o.put(field, body);
            o.put(field + "_format", "text");
        }
    }
}
