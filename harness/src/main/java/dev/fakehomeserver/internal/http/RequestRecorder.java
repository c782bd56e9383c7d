package dev.fakehomeserver.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.journal.RequestLog;
import dev.fakehomeserver.journal.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The journal step: records every answer of the client API as a {@link RecordedRequest}, with secrets redacted
 * (the {@code access_token} query parameter, and password and token fields of request and response bodies:
 * login and register answers carry a fresh access token) and bodies cut at {@value #MAX_JOURNAL_BODY} bytes.
 * Outermost but for nothing: a 413 for a body too large and a 404 for an unknown path are journaled too.
 */
public final class RequestRecorder implements Step, InboundRequest.AnswerListener {
    private static final int MAX_JOURNAL_BODY = 16 * 1024;
    /** Top-level body fields the journal masks, in requests and answers alike. */
    private static final List<String> SECRET_FIELDS = List.of("password", "new_password", "access_token",
            "refresh_token");
    private static final Pattern ACCESS_TOKEN_PARAM = Pattern.compile("(^|&)access_token=[^&]*");
    private static final byte[] PASSWORD = "password".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACCESS_TOKEN = "access_token".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BACKSLASH = {'\\'};

    private final RequestLog journal;
    private final LongSupplier nowMillis;

    public RequestRecorder(RequestLog journal, LongSupplier nowMillis) {
        this.journal = journal;
        this.nowMillis = nowMillis;
    }

    @Override
    public void handle(InboundRequest req, Next next) {
        req.onAnswer(this);
        next.proceed(req);
    }

    @Override
    public void answered(InboundRequest req, int status, MatrixException error, byte[] json) {
        Call call = req.call();
        Requester r = call == null ? null : call.requester();
        Instant time = Instant.ofEpochMilli(nowMillis.getAsLong());
        String query = redactQuery(req.http().getQueryString());
        String requestBody = redactBody(req.body());
        String responseBody = redactBody(json);
        journal.append(seq -> new RecordedRequest(seq, time, req.method(), req.rawPath(), query,
                r == null ? null : r.appserviceId(), r == null ? null : r.userId(), r == null ? null : r.deviceId(),
                status, error == null ? null : error.errcode(), error == null ? null : error.error(),
                requestBody, responseBody));
    }

    static String redactQuery(String q) {
        if (q == null || q.isEmpty()) {
            return "";
        }
        // Most queries carry no token: skip the regex (compiled once) for them; it was a tenth of a request's cost.
        return q.contains("access_token=") ? ACCESS_TOKEN_PARAM.matcher(q).replaceAll("$1access_token=<redacted>") : q;
    }

    static String redactBody(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        // Parsing the body a second time is needed only when a key could be "password" or "access_token": the
        // bytes then contain that name, or an escape (a backslash) that could spell it. Otherwise the parse could
        // only end in the same answer as below, so it is skipped (most requests, e.g. every send).
        if (!contains(body, PASSWORD) && !contains(body, ACCESS_TOKEN) && !contains(body, BACKSLASH)) {
            return truncate(body);
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node instanceof ObjectNode o && SECRET_FIELDS.stream().anyMatch(o::has)) {
                ObjectNode copy = o.deepCopy();
                for (String field : SECRET_FIELDS) {
                    if (copy.has(field)) {
                        copy.put(field, "<redacted>");
                    }
                }
                return truncate(Json.bytes(copy));
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: keep the text as it came
        }
        return truncate(body);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String truncate(byte[] bytes) {
        int n = Math.min(bytes.length, MAX_JOURNAL_BODY);
        String s = new String(bytes, 0, n, StandardCharsets.UTF_8);
        return bytes.length > n ? s + "...(" + bytes.length + " bytes)" : s;
    }
}
