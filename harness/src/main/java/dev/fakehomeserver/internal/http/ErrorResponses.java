package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;

/**
 * The one piece of code that writes a Matrix error, {@code {errcode, error}} with the exception's status and
 * headers: the client API ({@link ClientApiHandler}) and the control API both answer errors through it, so a test
 * reads both the same way.
 */
public final class ErrorResponses {
    private ErrorResponses() {}

    /** Answers {@code e} and returns the bytes sent (for the journal). */
    public static byte[] write(HttpServerExchange ex, MatrixException e) {
        ex.setStatusCode(e.status());
        e.headers().forEach((k, v) -> ex.getResponseHeaders().put(HttpString.tryFromString(k), v));
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        byte[] bytes = Json.bytes(e.body());
        ex.getResponseSender().send(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
