package dev.fakehomeserver.internal.conformance;

import dev.fakehomeserver.internal.conformance.RawSender.Auth;
import dev.fakehomeserver.internal.conformance.RawSender.Reply;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.journal.RecordedTransaction.Kind;
import dev.fakehomeserver.view.EventView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the appservice must accept in {@code PUT /_matrix/app/v1/transactions/{txnId}} (spec-digest §2.3, §3.3,
 * §3.4): pushes made by the fake's pusher from events injected into the kit's rooms, and, from the kit's sender,
 * what a pusher sends only in circumstances a test cannot provoke (a txnId again after a success, an empty list,
 * 100 events at once).
 */
final class TransactionChecks {
    private TransactionChecks() {}

    static List<CheckDef> all() {
        return List.of(
                CheckDef.must("txn.json_object", "§2.3 transactions (response)",
                        "a message in a room the appservice's sender is in, pushed by the fake's pusher",
                        "2xx with a JSON object body (Synapse marks the appservice down on an empty or non-JSON 2xx)",
                        TransactionChecks::jsonObject),
                CheckDef.must("txn.duplicate_processed_once", "§2.3 transactions (txnId semantics)",
                        "the probe pushed by the pusher, then the same txnId and body again (a homeserver whose "
                                + "answer was lost)",
                        "200 with a JSON object both times, and the reaction to the probe does not happen twice",
                        TransactionChecks::duplicate),
                CheckDef.must("txn.empty_events", "§2.3 transactions (events may be [])",
                        "{\"events\": []} (plus the ephemeral keys the registration opted into)",
                        "2xx with a JSON object", s -> accepted(s.sendTransaction(Auth.BOTH, List.of()))),
                CheckDef.must("txn.hundred_events", "§3.4 batching (up to 100 events)",
                        "one transaction of 100 messages from a room of the kit's",
                        "2xx with a JSON object", TransactionChecks::hundred),
                CheckDef.must("txn.ephemeral", "§2.3, §3.3 ephemeral data (receive_ephemeral / MSC2409)",
                        "a typing notification in a room the sender is in, pushed in `ephemeral` and/or "
                                + "`de.sorunome.msc2409.ephemeral` as the registration opts in",
                        "2xx with a JSON object; skipped when the registration does not opt in",
                        TransactionChecks::ephemeral),
                CheckDef.should("txn.unknown_event_type", "§2.3 transactions (events in client format)",
                        "an event of type dev.fakehomeserver.conformance.unknown, pushed by the pusher",
                        "2xx with a JSON object (failing it would block every later event)",
                        TransactionChecks::unknownType));
    }

    static Verdict accepted(Reply a) {
        String wrong = Answers.notJsonObjectSuccess(a.status(), a.body());
        return wrong == null ? Verdict.pass("accepted: " + a.status() + " " + RawSender.excerpt(a.body()))
                : Verdict.fail(wrong + (a.status() == 0 ? " (" + a.exchange().error() + ")" : ""));
    }

    static Verdict accepted(RecordedTransaction r) {
        String wrong = Answers.notJsonObjectSuccess(r.status(), r.responseBody());
        return wrong == null ? Verdict.pass("accepted: " + r.status() + " " + RawSender.excerpt(r.responseBody()))
                : Verdict.fail(wrong + (r.status() == 0 ? " (" + r.error() + ")" : ""));
    }

    /** The pushed transaction that carried this event (first attempt). */
    static RecordedTransaction pushOf(Session s, String eventId) {
        return s.awaitSent("the transaction with " + eventId,
                r -> r.kind() == Kind.TRANSACTION && r.eventIds().contains(eventId));
    }

    private static Verdict jsonObject(Session s) {
        String room = s.rooms.room("json answer", true);
        String id = s.rooms.kit().send(room, "conformance: a plain message");
        return accepted(pushOf(s, id));
    }

    private static Verdict duplicate(Session s) {
        String room = s.rooms.room("duplicate txnId", true);
        String id = s.rooms.kit().send(room, s.probeText());
        RecordedTransaction first = pushOf(s, id);
        Verdict firstOk = accepted(first);
        if (firstOk.kind() != Verdict.Kind.PASS) {
            return Verdict.fail("the first push already failed: " + firstOk.detail());
        }
        int reacted = s.rooms.settle(room, 0, s.settings.reactionTimeout(), s.settings.quietPeriod());
        Reply again = s.sender.send("PUT", "/_matrix/app/v1/transactions/" + first.txnId(), Auth.BOTH,
                first.requestBody());
        Verdict againOk = accepted(again);
        if (againOk.kind() != Verdict.Kind.PASS) {
            return Verdict.fail("the same txnId again: " + againOk.detail() + "; a repeated txnId is a retry: "
                    + "answer 200 {} without processing it again");
        }
        if (reacted == 0 && s.probeReacted) {
            return Verdict.fail("the push of the probe was answered 2xx but not processed, though the appservice "
                    + "reacted to the probe earlier in this run: treat txnIds as opaque strings (the homeserver's "
                    + "count restarts, and the kit's sender used other ids), not as a counter to compare with");
        }
        if (reacted == 0) {
            return Verdict.warn("both answered 2xx with JSON, but the appservice did not react to the probe \""
                    + s.probeText() + "\" within " + s.settings.reactionTimeout().toMillis() + " ms, so processing "
                    + "once could not be observed: give a probe it answers (probe(..), --probe)");
        }
        s.probeReacted = true;
        int after = s.rooms.settle(room, reacted, s.settings.quietPeriod(), s.settings.quietPeriod());
        if (after > reacted) {
            return Verdict.fail("processed twice: " + reacted + " requests about the room after the first push, "
                    + after + " after the same txnId again; remember the txnIds handled (a bounded set, not only "
                    + "the last one) and answer a repeat with 200 {} at once");
        }
        return Verdict.pass("200 both times; " + reacted + " requests in reaction to the first, none to the repeat");
    }

    private static Verdict hundred(Session s) {
        String room = s.rooms.room("100 events", false);
        List<EventView> events = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            events.add(s.rooms.event(s.rooms.kit().send(room, "conformance filler " + i + " of 100")));
        }
        return accepted(s.sendTransaction(Auth.BOTH, events));
    }

    private static Verdict ephemeral(Session s) {
        if (!s.reg.receiveEphemeral() && !s.reg.msc2409PushEphemeral()) {
            return Verdict.skip("the registration does not opt into ephemeral events (receive_ephemeral, "
                    + "de.sorunome.msc2409.push_ephemeral)");
        }
        String room = s.rooms.room("ephemeral", true);
        // Once this message's push is answered, the typing goes alone: {"events": [], "ephemeral": [...]}, as
        // Synapse sends ephemeral data between messages.
        pushOf(s, s.rooms.kit().send(room, "conformance: typing follows"));
        s.rooms.kit().typing(room, true);
        RecordedTransaction r = s.awaitSent("a transaction with the typing notification",
                t -> t.kind() == Kind.TRANSACTION && t.requestBody().contains("\"m.typing\""));
        return accepted(r);
    }

    private static Verdict unknownType(Session s) {
        String room = s.rooms.room("unknown event type", true);
        String id = s.rooms.kit().sendContent(room, "dev.fakehomeserver.conformance.unknown",
                Map.of("conformance", "an event type no appservice knows"));
        return accepted(pushOf(s, id));
    }
}
