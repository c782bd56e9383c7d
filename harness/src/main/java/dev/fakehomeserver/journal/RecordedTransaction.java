package dev.fakehomeserver.journal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One request the homeserver sent to an appservice, with what came back: a transaction push (each attempt of a
 * retried transaction is its own record), a user or alias query, a ping or a third-party lookup.
 *
 * <pre>{@code
 * List<RecordedTransaction> pushes = hs.transactions().of("weather", RecordedTransaction.Kind.TRANSACTION);
 * assertThat(pushes).extracting(RecordedTransaction::txnId).containsExactly("1", "1", "2");
 * }</pre>
 *
 * @param seq the position in the transaction journal, from 1
 * @param appserviceId the appservice it was sent to
 * @param kind what kind of request it was
 * @param txnId the transaction id for {@link Kind#TRANSACTION}, else null
 * @param attempt 1 for the first send, 2 for the first retry, and so on (always 1 for other kinds)
 * @param eventIds the ids of the events in a transaction, in order (empty for other kinds)
 * @param method the HTTP method
 * @param path the path sent, percent-encoded, without the query string
 * @param query the query string with the {@code access_token} redacted, or an empty string
 * @param requestBody the JSON body sent, or an empty string
 * @param status the appservice's HTTP status, or 0 when no answer came (connection refused, timeout)
 * @param responseBody the appservice's answer as text, or an empty string
 * @param error why the homeserver counted it a failure, or null when it succeeded
 * @param latency how long the appservice took to answer, in real time
 * @param sentAt when it was sent, on the homeserver's clock (virtual in tests that use a {@code VirtualClock})
 */
public record RecordedTransaction(long seq, String appserviceId, Kind kind, String txnId, int attempt,
                                  List<String> eventIds, String method, String path, String query,
                                  String requestBody, int status, String responseBody, String error,
                                  Duration latency, Instant sentAt) {

    /** What the homeserver asked the appservice. */
    public enum Kind {
        /** {@code PUT /_matrix/app/v1/transactions/{txnId}}. */
        TRANSACTION,
        /** {@code GET /_matrix/app/v1/users/{userId}}. */
        USER_QUERY,
        /** {@code GET /_matrix/app/v1/rooms/{alias}}. */
        ALIAS_QUERY,
        /** {@code POST /_matrix/app/v1/ping}. */
        PING,
        /** {@code GET /_matrix/app/v1/thirdparty/...}. */
        THIRDPARTY
    }

    /** Copies the event ids, so the record stays immutable. */
    public RecordedTransaction {
        eventIds = List.copyOf(eventIds);
    }

    /** Whether the homeserver counted the answer a success. */
    public boolean succeeded() {
        return error == null;
    }

    /** Whether this was a retry of a transaction sent before. */
    public boolean isRetry() {
        return attempt > 1;
    }

    /** One line: sequence, appservice, kind, txnId and attempt, event count, status and error (with a hint on 401/403). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("#").append(seq).append(' ').append(appserviceId).append(' ')
                .append(method).append(' ').append(path);
        if (txnId != null) {
            sb.append(" (txn ").append(txnId).append(", attempt ").append(attempt).append(", ")
                    .append(eventIds.size()).append(eventIds.size() == 1 ? " event)" : " events)");
        }
        sb.append(" -> ").append(status == 0 ? "no answer" : String.valueOf(status));
        if (error != null) {
            sb.append(" FAILED: ").append(error);
            if (status == 401 || status == 403) {
                // Nearly always the appservice refusing the hs_token (a wrong one in its config, or not read).
                sb.append(" (the appservice refused the homeserver: nearly always a wrong hs_token)");
            }
        }
        return sb.toString();
    }
}
