package dev.fakehomeserver.internal.push;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.internal.base.Json;

/**
 * What came back from an appservice.
 *
 * @param status the HTTP status, or 0 when no response arrived
 * @param body the response body as text (empty when none), cut at 16 KiB ({@link AnswerBody})
 * @param failure the exception when no response arrived, else null
 * @param json the body as JSON, or null when it is empty or not JSON
 */
record Outcome(int status, String body, Throwable failure, JsonNode json) {

    Outcome(int status, String body, Throwable failure) {
        this(status, body, failure, parse(body));
    }

    boolean answered() {
        return failure == null;
    }

    boolean is2xx() {
        return answered() && status >= 200 && status < 300;
    }

    boolean timedOut() {
        return failure instanceof java.net.http.HttpTimeoutException;
    }

    static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return n == null || n.isMissingNode() ? null : n;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Synapse's success for pushes and queries: a 2xx whose body parses as JSON ({@code put_json} and
     * {@code get_json} raise on anything else, which counts as a failure).
     */
    boolean succeeded() {
        return is2xx() && json() != null;
    }

    /** Why this counts as a failure, in the words Synapse would log, or null on success. */
    String error() {
        if (failure != null) {
            return describe(failure);
        }
        if (!is2xx()) {
            return "HTTP " + status;
        }
        if (json() == null) {
            return "ValueError: the " + status + " response body is not JSON";
        }
        return null;
    }

    /** Synapse's {@code "<ExceptionType>: <msg>"}, with the Twisted wording for a refused connection. */
    static String describe(Throwable t) {
        if (t instanceof InjectedFailure) {
            return t.getMessage();
        }
        if (t instanceof java.net.ConnectException) {
            return "ConnectionRefusedError: Connection was refused by other side: 111: Connection refused.";
        }
        if (t instanceof java.net.http.HttpTimeoutException) {
            return "TimeoutError: the appservice did not answer in time";
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** A failure a test injected ({@code hs.faults().appservice(..)}): the request was never sent. */
    static final class InjectedFailure extends Exception {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String message) {
            super(message, null, false, false);
        }
    }
}
