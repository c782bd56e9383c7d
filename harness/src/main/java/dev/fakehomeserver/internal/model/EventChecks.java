package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.JsonLimits;
import dev.fakehomeserver.internal.base.JsonSize;
import dev.fakehomeserver.internal.base.MatrixException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The checks every event passes on the one append path before the auth rules, whoever made it (an appservice
 * over HTTP, a test through the DSL or the control API, the server itself): the ones Synapse 1.94 makes on every
 * locally created event, in its order (checked against the real one: conversation family {@code hardening}),
 * after the sender's membership ({@link AuthRules#checkSenderJoined}) and before the other auth rules.
 *
 * <ol>
 *   <li>Canonical JSON in room versions 6 and later ({@code EventValidator.validate_new}, the content only):
 *       an integer beyond ±(2^53-1) is 400 {@code M_BAD_JSON} "JSON integer out of range", any float
 *       "Bad JSON value: float". A float that is not finite is refused in every room version, "Bad JSON value:
 *       float out of range": a request body's {@code 1e999999999} already when it is parsed ({@link Json}),
 *       an injected {@code Double.POSITIVE_INFINITY} here. Synapse 1.94 answers 500 for it (its canonical
 *       encoder cannot write it), and Jackson would store it as the string {@code "Infinity"}, data nobody
 *       sent. Nor can content nested deeper than a
 *       request body may be, which only in-process injection can build (400 {@code M_BAD_JSON}).</li>
 *   <li>The power levels schema (every room version, state or not, as Synapse): the levels are integers within ±(2^53-1) and
 *       {@code events}, {@code notifications} and {@code users} are objects of them, refused 400
 *       {@code M_BAD_JSON} in the words of Python's jsonschema ({@code "ban": '50' is not of type 'integer'}),
 *       values shown as Python's {@code repr} shows them. Room version 10's auth rule that levels are integers
 *       can never be reached after this (floats are refused above, strings and booleans here).</li>
 *   <li>The size limits ({@code event_auth._check_size_limits}): the whole event over
 *       {@link Options#maxEventBytes()} is 413 {@code M_TOO_LARGE} "event too large"; a sender, room id, state
 *       key or type over 255 characters or 255 bytes of UTF-8 is 413 {@code M_TOO_LARGE} "'user_id' too large"
 *       (and so on), in that order.</li>
 * </ol>
 */
final class EventChecks {
    static final long MAX_SAFE_INTEGER = 9_007_199_254_740_991L;
    private static final BigInteger MAX = BigInteger.valueOf(MAX_SAFE_INTEGER);
    private static final BigInteger MIN = MAX.negate();
    static final int MAX_KEY_BYTES = 255;
    /**
     * What federation adds to the client-visible event (hashes, signatures, auth and prev events, depth): Synapse
     * measures the whole federation JSON, so content just under the limit is already too large there.
     */
    private static final int PDU_OVERHEAD_BYTES = 512;
    /** The levels the schema types, in its order (jsonschema reports the first error at the shallowest path). */
    private static final List<String> LEVELS = List.of("ban", "events", "events_default", "invite", "kick",
            "notifications", "redact", "state_default", "users", "users_default");
    private static final List<String> MAPS = List.of("events", "notifications", "users");

    private EventChecks() {}

    /** Throws the {@link MatrixException} Synapse would answer, or returns when {@code d} may be appended. */
    static void check(String roomVersion, EventDraft d, long ts, int maxEventBytes) {
        writable(d.content(), 1);
        if (strictCanonicalJson(roomVersion)) {
            canonical(d.content());
        }
        if ("m.room.power_levels".equals(d.type())) {
            powerLevels(d.content());
        }
        sizes(d, ts, maxEventBytes);
    }

    /** Room versions 1 to 5 allowed any JSON; 6 and later (and any version the fake does not number) do not. */
    static boolean strictCanonicalJson(String roomVersion) {
        try {
            return Integer.parseInt(roomVersion) >= 6;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * What no room version can hold: a number that is not finite, and content nested deeper than a request body
     * may be ({@link JsonLimits#MAX_INPUT_DEPTH}), which only in-process injection can build; stored, it could
     * not be served or pushed.
     */
    private static void writable(JsonNode n, int depth) {
        if (n.isFloatingPointNumber() && !Double.isFinite(n.doubleValue())) {
            throw MatrixException.badJson(Json.NOT_FINITE);
        }
        if (n.isContainerNode()) {
            if (depth > JsonLimits.MAX_INPUT_DEPTH) {
                throw MatrixException.badJson("Content nested deeper than " + JsonLimits.MAX_INPUT_DEPTH
                        + " levels: the fake could not serve or push it");
            }
            JsonSize.eachChild(n, child -> writable(child, depth + 1));
        }
    }

    /** Synapse's {@code validate_canonicaljson}: depth first, the first offending value wins. */
    private static void canonical(JsonNode n) {
        if (n.isIntegralNumber()) {
            if (!inRange(n)) {
                throw MatrixException.badJson("JSON integer out of range");
            }
        } else if (n.isNumber()) {
            throw floatRefused();
        } else if (n.isContainerNode()) {
            JsonSize.eachChild(n, EventChecks::canonical);
        }
    }

    private static MatrixException floatRefused() {
        return MatrixException.badJson("Bad JSON value: float");
    }

    private static boolean inRange(JsonNode integral) {
        if (integral.canConvertToLong()) {
            long v = integral.longValue();
            return v >= -MAX_SAFE_INTEGER && v <= MAX_SAFE_INTEGER;
        }
        return false;
    }

    /** The first error jsonschema's {@code best_match} reports: top-level fields first, then map values. */
    private static void powerLevels(ObjectNode content) {
        for (String k : LEVELS) {
            JsonNode v = content.get(k);
            if (v == null) {
                continue;
            }
            if (MAPS.contains(k)) {
                if (!v.isObject()) {
                    throw schema(k, v, "is not of type 'object'");
                }
            } else {
                level(k, v);
            }
        }
        for (String k : MAPS) {
            JsonNode m = content.get(k);
            if (m != null) {
                ((ObjectNode) m).forEachEntry(EventChecks::level);
            }
        }
    }

    /** jsonschema's {@code integer}: an int or an integral float (not a bool), within the canonical range. */
    private static void level(String key, JsonNode v) {
        boolean integral = v.isIntegralNumber() || v.isFloatingPointNumber() && v.doubleValue() % 1 == 0;
        if (!integral) {
            throw schema(key, v, "is not of type 'integer'");
        }
        BigInteger value = v.isIntegralNumber() ? v.bigIntegerValue() : v.decimalValue().toBigInteger();
        if (value.compareTo(MAX) > 0) {
            throw schema(key, v, "is greater than the maximum of " + MAX_SAFE_INTEGER);
        }
        if (value.compareTo(MIN) < 0) {
            throw schema(key, v, "is less than the minimum of -" + MAX_SAFE_INTEGER);
        }
    }

    private static MatrixException schema(String key, JsonNode v, String complaint) {
        return MatrixException.badJson("\"" + key + "\": " + PythonRepr.of(v) + " " + complaint);
    }

    private static void sizes(EventDraft d, long ts, int maxEventBytes) {
        ObjectNode envelope = Json.object();
        envelope.set("content", d.content());
        envelope.put("room_id", d.roomId());
        envelope.put("sender", d.sender());
        envelope.put("type", d.type());
        envelope.put("state_key", d.stateKey());
        envelope.put("origin_server_ts", ts);
        long limit = maxEventBytes - PDU_OVERHEAD_BYTES;
        // Counted, not serialised, and given up past the limit; a refused event is counted whole for the message.
        if (JsonSize.of(envelope, limit) > limit) {
            long size = JsonSize.of(envelope) + PDU_OVERHEAD_BYTES;
            throw MatrixException.tooLarge("event too large: about " + size + " bytes of JSON, the limit is "
                    + maxEventBytes);
        }
        key("user_id", d.sender());
        key("room_id", d.roomId());
        if (d.stateKey() != null) {
            key("state_key", d.stateKey());
        }
        key("type", d.type());
    }

    /**
     * Synapse counts code points, then UTF-8 bytes, both against 255 and with the same answer; a string never
     * has more code points than bytes, so the bytes decide.
     */
    private static void key(String name, String value) {
        if (value.length() > MAX_KEY_BYTES / 3 && value.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw MatrixException.tooLarge("'" + name + "' too large");
        }
    }
}
