package dev.fakehomeserver.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-line form of a push, as the standalone's log and the journal print it. */
class RecordedTransactionLineTest {
    private static RecordedTransaction push(List<String> events, int status, String error) {
        return new RecordedTransaction(3, "weather", RecordedTransaction.Kind.TRANSACTION, "7", 1, events, "PUT",
                "/_matrix/app/v1/transactions/7", "access_token=<redacted>", "{}", status, "{}", error,
                Duration.ofMillis(2), Instant.EPOCH);
    }

    @Test
    void counts_one_event_in_the_singular() {
        assertThat(push(List.of("$a"), 200, null).toString())
                .isEqualTo("#3 weather PUT /_matrix/app/v1/transactions/7 (txn 7, attempt 1, 1 event) -> 200");
        assertThat(push(List.of("$a", "$b"), 200, null).toString()).contains("(txn 7, attempt 1, 2 events)");
    }

    @Test
    void hints_at_the_hs_token_when_the_appservice_answers_401_or_403() {
        assertThat(push(List.of("$a"), 403, "HTTP 403").toString()).endsWith(
                "-> 403 FAILED: HTTP 403 (the appservice refused the homeserver: nearly always a wrong hs_token)");
        assertThat(push(List.of("$a"), 401, "HTTP 401").toString()).endsWith("nearly always a wrong hs_token)");
        assertThat(push(List.of("$a"), 500, "HTTP 500").toString()).endsWith("-> 500 FAILED: HTTP 500");
    }
}
