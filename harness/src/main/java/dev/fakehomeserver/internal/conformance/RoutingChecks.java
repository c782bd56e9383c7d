package dev.fakehomeserver.internal.conformance;

import dev.fakehomeserver.internal.conformance.RawSender.Auth;
import dev.fakehomeserver.internal.conformance.RawSender.Reply;
import java.util.List;

/**
 * Routes (spec-digest §2.2): an unknown endpoint answers 404 {@code M_UNRECOGNIZED}, a known endpoint with the
 * wrong method 405 {@code M_UNRECOGNIZED} (spec "Unknown routes"); the legacy paths without {@code /_matrix/app/v1}
 * are optional (homeservers "should" fall back to them; Synapse 1.90 and later never call them), but one that is
 * served must check the token like the modern one. A homeserver sends none of these, so the kit's sender does.
 */
final class RoutingChecks {
    private RoutingChecks() {}

    static List<CheckDef> all() {
        return List.of(
                CheckDef.must("route.unknown_path", "§2.2 unknown routes",
                        "GET /_matrix/app/v1/dev.fakehomeserver.conformance/unknown with the right token",
                        "404 with errcode M_UNRECOGNIZED (not 500, not 200)", RoutingChecks::unknownPath),
                CheckDef.must("route.wrong_method", "§2.2 unknown routes",
                        "GET (instead of PUT) /_matrix/app/v1/transactions/{txnId} with the right token",
                        "405 with errcode M_UNRECOGNIZED", RoutingChecks::wrongMethod),
                CheckDef.should("route.legacy_transactions", "§2.2 legacy routes",
                        "PUT /transactions/{txnId} (the legacy path) with the right token and a plain message",
                        "served like the modern path (2xx with a JSON object) or not at all (404/405); never 5xx",
                        RoutingChecks::legacy),
                CheckDef.must("route.legacy_auth", "§2.1 Authorisation, §2.2 legacy routes",
                        "PUT /transactions/{txnId} (the legacy path) with the probe and no token",
                        "not accepted, nothing done (a legacy route must not skip the token check)",
                        RoutingChecks::legacyAuth));
    }

    private static Verdict unknownPath(Session s) {
        Reply a = s.sender.send("GET", "/_matrix/app/v1/dev.fakehomeserver.conformance/unknown", Auth.BOTH, null);
        return unrecognized(a, 404, "an unknown endpoint");
    }

    private static Verdict wrongMethod(Session s) {
        Reply a = s.sender.send("GET", "/_matrix/app/v1/transactions/" + s.nextTxnId(), Auth.BOTH, null);
        return unrecognized(a, 405, "a known endpoint with the wrong method");
    }

    private static Verdict unrecognized(Reply a, int want, String what) {
        String errcode = Answers.errcode(a.body());
        if (a.status() == want && "M_UNRECOGNIZED".equals(errcode)) {
            return Verdict.pass(want + " M_UNRECOGNIZED");
        }
        return Verdict.fail("answered " + (a.status() == 0 ? "nothing (" + a.exchange().error() + ")"
                : a.status() + " " + AuthChecks.errcodeOf(a)) + " to " + what + "; answer " + want
                + " {\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}, so a homeserver can tell "
                + "a missing feature from a failure");
    }

    private static Verdict legacy(Session s) {
        String room = s.rooms.room("legacy path", false);
        String eventId = s.rooms.kit().send(room, "conformance: a plain message on the legacy path");
        Reply a = s.sender.send("PUT", "/transactions/" + s.nextTxnId(), Auth.BOTH,
                s.rooms.transaction(List.of(s.rooms.event(eventId))));
        if (a.status() == 404 || a.status() == 405) {
            return Verdict.pass("not served (" + a.status() + "): fine, Synapse 1.90 and later never call it");
        }
        String wrong = Answers.notJsonObjectSuccess(a.status(), a.body());
        return wrong == null ? Verdict.pass("served like the modern path: " + a.status())
                : Verdict.fail("the legacy path answered " + wrong + "; serve it exactly like "
                        + "/_matrix/app/v1/transactions or answer 404 M_UNRECOGNIZED");
    }

    private static Verdict legacyAuth(Session s) {
        String room = s.rooms.room("legacy path probe", false);
        String eventId = s.rooms.kit().send(room, s.probeText());
        Reply a = s.sender.send("PUT", "/transactions/" + s.nextTxnId(), Auth.NONE,
                s.rooms.transaction(List.of(s.rooms.event(eventId))));
        if (Answers.is2xx(a.status())) {
            return Verdict.fail("the legacy path accepted a transaction with no token (" + a.status() + "): check "
                    + "the token on every route, or drop the legacy routes");
        }
        if (s.hs.waitUntil(() -> s.rooms.reactions(room) > 0, s.settings.quietPeriod())) {
            return Verdict.fail("refused with " + a.status() + " but acted on the probe anyway");
        }
        return Verdict.pass("not accepted (" + (a.status() == 0 ? "no answer" : a.status()) + "), nothing done");
    }
}
