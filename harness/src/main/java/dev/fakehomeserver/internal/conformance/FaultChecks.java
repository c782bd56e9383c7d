package dev.fakehomeserver.internal.conformance;

import dev.fakehomeserver.conformance.Exchange;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.journal.RecordedTransaction.Kind;
import dev.fakehomeserver.journal.Violation;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * The appservice under the homeserver's own faults (spec-digest §2.3, §3.5): a transaction that failed comes again
 * with the same txnId, made by the fake's pusher with {@code hs.faults()}; and every answer of the run came within
 * the homeserver's timeout (Synapse: 60 s, then the appservice is marked down).
 */
final class FaultChecks {
    private FaultChecks() {}

    static List<CheckDef> all() {
        return List.of(
                CheckDef.must("faults.retry_processed_once", "§2.3 txnId semantics, §3.5 retries",
                        "the probe's push fails on the homeserver's side (hs.faults()); the pusher retries the same "
                                + "txnId",
                        "the retry is answered 2xx with a JSON object and the probe is processed once",
                        FaultChecks::retry),
                CheckDef.must("faults.answers_in_time", "§2.3 transactions (Synapse's 60 s timeout)",
                        "nothing more: reads every exchange of the run so far",
                        "every request was answered within the homeserver's timeout", FaultChecks::inTime));
    }

    private static Verdict retry(Session s) {
        String room = s.rooms.room("retry", true);
        String id = s.reg.id();
        Duration wait = s.settings.requestTimeout().plus(s.settings.reactionTimeout());
        // The sender's join must be delivered first, or it would take the injected failure instead of the probe.
        s.hs.awaitAppserviceIdle(id, wait);
        s.hs.faults().appservice(id).failTransactions(1);
        String eventId = s.rooms.kit().send(room, s.probeText());
        RecordedTransaction failed = s.awaitSent("the failing first attempt",
                r -> r.kind() == Kind.TRANSACTION && r.eventIds().contains(eventId) && !r.succeeded(), true);
        s.hs.waitUntil(() -> s.hs.appserviceStatus(id).down(), wait);
        s.hs.retryAppserviceNow(id);
        RecordedTransaction retried = s.awaitSent("the retry",
                r -> r.kind() == Kind.TRANSACTION && r.eventIds().contains(eventId) && r.isRetry(), true);
        if (!retried.txnId().equals(failed.txnId())) {
            return Verdict.fail("the fake retried with another txnId (a bug in the fake): " + failed + " / " + retried);
        }
        Verdict ok = TransactionChecks.accepted(retried);
        if (ok.kind() != Verdict.Kind.PASS) {
            return Verdict.fail("the retry of txnId " + retried.txnId() + ": " + ok.detail());
        }
        int reacted = s.rooms.settle(room, 0, s.settings.reactionTimeout(), s.settings.quietPeriod());
        if (reacted == 0 && s.probeReacted) {
            return Verdict.fail("the retry of txnId " + retried.txnId() + " was answered 2xx but not processed, "
                    + "though the appservice reacted to the probe earlier in this run: a txnId is done only once "
                    + "processed and answered 2xx; a retry after a failure must be processed");
        }
        if (!s.hasProbe() || reacted == 0) {
            return Verdict.warn("the retry was accepted, but no reaction to the probe \"" + s.probeText()
                    + "\" was seen, so processing could not be observed: give a probe it answers");
        }
        return Verdict.pass("the retry of txnId " + retried.txnId() + " was accepted and processed ("
                + reacted + " requests in reaction)");
    }

    private static Verdict inTime(Session s) {
        List<Exchange> all = s.exchanges().stream()
                .filter(x -> x.error() == null || !x.error().contains(Violation.INJECTED_MARKER)).toList();
        List<Exchange> late = all.stream().filter(x -> x.status() == 0 && x.error() != null
                && (x.error().contains("no answer within") || x.error().toLowerCase().contains("time"))).toList();
        if (!late.isEmpty()) {
            return Verdict.fail(late.size() + " requests got no answer within "
                    + s.settings.requestTimeout().toMillis() + " ms, the first: " + late.get(0)
                    + "; answer at once and do slow work after answering (the homeserver waits for nothing else)");
        }
        return all.stream().max(Comparator.comparing(Exchange::latency))
                .map(x -> Verdict.pass("the slowest of " + all.size() + " answers took " + x.latency().toMillis()
                        + " ms (" + x.method() + " " + x.target() + "); the homeserver waits "
                        + s.settings.requestTimeout().toMillis() + " ms"))
                .orElse(Verdict.skip("no exchange to time"));
    }
}
