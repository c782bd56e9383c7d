package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.LogText;
import dev.fakehomeserver.internal.base.MatrixException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One request on its way through a {@link Pipeline}: what the steps have learnt about it (body, route, the
 * endpoint's {@link Call}) and the one way it is answered. Answering tells the {@link AnswerListener} first (the
 * journal), then sends, so a test that reads the journal right after the response finds the entry.
 */
public final class InboundRequest {
    private static final Logger LOG = Logger.getLogger(InboundRequest.class.getName());

    /** Told of every answer just before it is sent. */
    @FunctionalInterface
    public interface AnswerListener {
        /**
         * @param status the status answered, 0 for a dropped connection
         * @param error the error answered, or null on success
         * @param json the JSON body answered, or null for a binary answer or a dropped connection
         */
        void answered(InboundRequest req, int status, MatrixException error, byte[] json);
    }

    private final HttpServerExchange http;
    private final String apiName;
    private byte[] body;
    private Route route;
    private Call call;
    private AnswerListener listener;

    InboundRequest(HttpServerExchange http, String apiName) {
        this.http = http;
        this.apiName = apiName;
    }

    public HttpServerExchange http() { return http; }
    public String method() { return http.getRequestMethod().toString(); }
    /** The path as sent (percent-encoded). */
    public String rawPath() { return http.getRequestURI(); }
    /** The body, or null before it was read (or when reading it failed). */
    public byte[] body() { return body; }
    /** The route, or null before routing. */
    public Route route() { return route; }
    /** What the endpoint sees, or null before routing. */
    public Call call() { return call; }

    void body(byte[] bytes) {
        this.body = bytes;
        if (call != null) {
            call.body(bytes);
        }
    }

    void routed(Route r, Call c) {
        this.route = r;
        this.call = c;
    }

    void onAnswer(AnswerListener l) { this.listener = l; }

    /** Answers an endpoint's result: a {@link Response}, or any JSON-serialisable value as 200. */
    public void answer(Object value) {
        Response r = value instanceof Response resp ? resp : Response.json(200, value == null ? Json.object() : value);
        http.setStatusCode(r.status());
        r.headers().forEach((k, v) -> http.getResponseHeaders().put(HttpString.tryFromString(k), v));
        if (r.raw() != null) {
            http.getResponseHeaders().put(Headers.CONTENT_TYPE, r.contentType());
            tell(r.status(), null, null);
            http.getResponseSender().send(ByteBuffer.wrap(r.raw()));
            return;
        }
        byte[] bytes = Json.bytes(r.json());
        http.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        tell(r.status(), null, bytes);
        http.getResponseSender().send(ByteBuffer.wrap(bytes));
    }

    /**
     * The one place an exception becomes an answer: a {@link MatrixException} is answered as itself; anything
     * else is a bug in the fake, logged and answered 500 {@code M_UNKNOWN}.
     */
    public void fail(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (http.isResponseStarted()) {
            // Thrown after the answer went out (the server stopping under a send, say): nothing left to answer.
            LOG.log(Level.FINE, "After answering " + LogText.escape(method() + " " + rawPath()), cause);
            return;
        }
        if (cause instanceof MatrixException e) {
            refuse(e);
            return;
        }
        LOG.log(Level.SEVERE, "Bug in fake-homeserver's " + apiName + " while answering "
                + LogText.escape(method() + " " + rawPath()), cause);
        refuse(MatrixException.unknown(500, "Internal error in fake-homeserver: " + cause));
    }

    /** Writes a Matrix error, {@code {errcode, error}} with the exception's status and headers. */
    private void refuse(MatrixException e) {
        byte[] bytes = Json.bytes(e.body());
        http.setStatusCode(e.status());
        e.headers().forEach((k, v) -> http.getResponseHeaders().put(HttpString.tryFromString(k), v));
        http.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        tell(e.status(), e, bytes);
        http.getResponseSender().send(ByteBuffer.wrap(bytes));
    }

    /** Why a connection was closed without an answer, for the request log ({@code --verbose}). */
    public static final AttachmentKey<String> DROPPED = AttachmentKey.create(String.class);

    /** Closes the connection without answering (an injected fault). */
    void drop() {
        drop("dropped by a fault rule");
    }

    /** Closes the connection without answering, saying why in the request log. */
    void drop(String why) {
        http.putAttachment(DROPPED, LogText.escape(why));
        tell(0, null, null);
        try {
            http.getConnection().close();
        } catch (IOException e) {
            // already closed: nothing to do
        }
    }

    private void tell(int status, MatrixException error, byte[] json) {
        if (listener != null) {
            listener.answered(this, status, error, json);
        }
    }
}
