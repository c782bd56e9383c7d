package dev.fakehomeserver.internal.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.internal.base.Json;

/** Reading what an appservice answered, leniently: an answer that is not JSON is never an exception here. */
final class Answers {
    private Answers() {}

    static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null;
        }
    }

    static boolean isJsonObject(String body) {
        JsonNode n = parse(body);
        return n != null && n.isObject();
    }

    /** The errcode of a Matrix error body, or null. */
    static String errcode(String body) {
        JsonNode n = parse(body);
        return n != null && n.path("errcode").isTextual() ? n.path("errcode").asText() : null;
    }

    static boolean is2xx(int status) {
        return status >= 200 && status < 300;
    }

    /** "a 2xx with a JSON object", or what was wrong with the answer instead. */
    static String notJsonObjectSuccess(int status, String body) {
        if (status == 0) {
            return "no answer";
        }
        if (!is2xx(status)) {
            return "status " + status;
        }
        if (!isJsonObject(body)) {
            return "status " + status + " with a body that is not a JSON object (" + (body.isEmpty() ? "empty"
                    : RawSender.excerpt(body)) + "): Synapse counts that a failure and marks the appservice down";
        }
        return null;
    }
}
