package dev.fakehomeserver.internal.push;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One HTTP/1.1 request to an appservice from outside the pusher, made the pusher's way: one {@link Http1Exchange}
 * on the push pool, one deadline for the whole exchange ({@link PushDeadline}), the answer body read within
 * {@link AnswerBody}'s bounds, and the connection closed however the exchange ends. The conformance kit sends its
 * own requests (no token, a wrong one, unknown paths) through it: on the JDK client, a garbage answer from the
 * appservice under test left a socket open per check (issue 17, item 9).
 *
 * <pre>{@code
 * BoundedExchange.Answer a = BoundedExchange.send("PUT", URI.create(url + "/_matrix/app/v1/transactions/1"),
 *         Map.of("Content-Type", "application/json"), "{\"events\":[]}".getBytes(UTF_8), Duration.ofSeconds(5));
 * }</pre>
 */
public final class BoundedExchange {
    /** The status and the body's text: whole when short or JSON (up to 1 MiB), else cut with a note of how much. */
    public record Answer(int status, String body) {}

    private BoundedExchange() {}

    /**
     * Sends and waits for the whole answer, at most {@code deadline}.
     *
     * @param headers in order; Host, Content-Length and Connection are added
     * @param body the request body, or null for none
     * @throws java.net.http.HttpTimeoutException when the exchange, answer body included, outlived the deadline
     * @throws IOException when the connection failed or the answer was not HTTP/1.1 within bounds
     */
    public static Answer send(String method, URI uri, Map<String, String> headers, byte[] body, Duration deadline)
            throws IOException, InterruptedException {
        CompletableFuture<Http1Exchange.Answer> exchange =
                Http1Exchange.send(AppserviceClient.executor(), method, uri, headers, body, deadline);
        try {
            Http1Exchange.Answer a = PushDeadline.within(exchange, deadline).get();
            return new Answer(a.status(), text(a.body()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } finally {
            exchange.cancel(true); // closes the connection if it is still open (interrupted, failed)
        }
    }

    /** A body past the journal's cut that is JSON is given whole (as parsed), so that it can still be read. */
    private static String text(AnswerBody.Read read) {
        boolean cut = read.bytes() > AnswerBody.JOURNALED;
        return cut && read.json() != null && !read.json().isNull() ? read.json().toString() : read.journalText();
    }
}
