package dev.fakehomeserver.internal.http;

import java.util.Map;

/**
 * What an endpoint answers when 200 with a JSON body is not enough: a status, a JSON-serialisable body, or raw
 * bytes with a content type (media).
 */
public record Response(int status, Object json, byte[] raw, String contentType, Map<String, String> headers) {
    public static Response json(int status, Object body) {
        return new Response(status, body, null, "application/json", Map.of());
    }

    public static Response bytes(int status, byte[] raw, String contentType, Map<String, String> headers) {
        return new Response(status, null, raw, contentType, headers);
    }
}
