package dev.fakehomeserver.internal.conformance;

import dev.fakehomeserver.coverage.Behaviour;
import dev.fakehomeserver.internal.conformance.RawSender.Auth;
import dev.fakehomeserver.internal.conformance.RawSender.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.BiFunction;

/**
 * The hs_token checks (spec "Authorisation", spec-digest §2.1 and §2.9), the same four on each endpoint the
 * homeserver calls: no token refused (401) and nothing done, a wrong token refused with {@code M_FORBIDDEN}
 * (403), the token in the header only accepted (what Synapse sends since 1.90), in the query only accepted (what
 * the hosting platform sends). Sent by the kit's sender: a pusher never sends a missing or wrong token.
 */
final class AuthChecks {
    private AuthChecks() {}

    /** One request to an endpoint, and how to tell whether the appservice acted on it. */
    record Req(String method, String path, String body, BooleanSupplier processed, String whatProcessed) {}

    /** An endpoint, and how to build a fresh request to it; the tag keeps each check's names apart. */
    private record Target(String key, String name, String section, BiFunction<Session, String, Req> req) {}

    private static final List<Target> TARGETS = List.of(
            new Target("txn", "PUT /_matrix/app/v1/transactions/{txnId} with a message",
                    "§2.1 Authorisation, §2.3 transactions", AuthChecks::transaction),
            new Target("user_query", "GET /_matrix/app/v1/users/{userId} in the namespace",
                    "§2.1 Authorisation, §2.4 user query", AuthChecks::userQuery),
            new Target("alias_query", "GET /_matrix/app/v1/rooms/{alias} in the namespace",
                    "§2.1 Authorisation, §2.5 alias query", AuthChecks::aliasQuery),
            new Target("ping", "POST /_matrix/app/v1/ping {\"transaction_id\": ...}",
                    "§2.1 Authorisation, §2.6 ping", AuthChecks::ping));

    static List<CheckDef> all() {
        List<CheckDef> out = new ArrayList<>();
        for (Target t : TARGETS) {
            out.add(CheckDef.must("auth." + t.key + ".no_token", t.section, t.name + ", no token at all",
                    "refused, 401 (403 warns), and nothing done", s -> noToken(s, t.req.apply(s, "notoken"))));
            out.add(CheckDef.must("auth." + t.key + ".wrong_token", t.section,
                    t.name + ", a wrong token in the Authorization header",
                    "refused with errcode M_FORBIDDEN, 403 (401 warns), and nothing done",
                    s -> wrongToken(s, t.req.apply(s, "wrongtoken"))));
            out.add(CheckDef.must("auth." + t.key + ".header_only", t.section,
                    t.name + ", the token in the Authorization header only (as Synapse since 1.90)",
                    "accepted: not 401/403; a 2xx carries a JSON object", s -> accepted(s, t.req.apply(s, "header"), Auth.HEADER)));
            out.add(CheckDef.should("auth." + t.key + ".query_only", t.section,
                    t.name + ", the token in ?access_token= only (legacy; the hosting platform sends it)",
                    "accepted: not 401/403; a 2xx carries a JSON object", s -> accepted(s, t.req.apply(s, "query"), Auth.QUERY)));
        }
        return out;
    }

    private static Verdict noToken(Session s, Req r) {
        Reply a = s.sender.send(r.method, r.path, Auth.NONE, r.body);
        s.hs.recordBehaviour(s.reg.id(), Behaviour.WRONG_HS_TOKEN);   // the fake's pusher never sends one
        Verdict refused = refused(s, r, a, "no token");
        if (refused != null) {
            return refused;
        }
        return a.status() == 401 ? Verdict.pass("refused with 401 " + errcodeOf(a) + ", nothing done")
                : Verdict.warn("refused with " + a.status() + " " + errcodeOf(a) + ", nothing done; the spec's "
                        + "endpoint definitions answer missing credentials with 401 (403 is for a wrong token)");
    }

    private static Verdict wrongToken(Session s, Req r) {
        Reply a = s.sender.send(r.method, r.path, Auth.WRONG_HEADER, r.body);
        s.hs.recordBehaviour(s.reg.id(), Behaviour.WRONG_HS_TOKEN);
        Verdict refused = refused(s, r, a, "a wrong token");
        if (refused != null) {
            return refused;
        }
        if (!"M_FORBIDDEN".equals(Answers.errcode(a.body()))) {
            return Verdict.fail("refused with " + a.status() + " " + errcodeOf(a) + ": the spec asks for the errcode "
                    + "M_FORBIDDEN when the hs_token does not match; answer 403 {\"errcode\":\"M_FORBIDDEN\",...}");
        }
        return a.status() == 403 ? Verdict.pass("refused with 403 M_FORBIDDEN, nothing done")
                : Verdict.warn("refused with " + a.status() + " M_FORBIDDEN, nothing done; the spec's endpoint "
                        + "definitions answer rejected credentials with 403");
    }

    /** Null when the request was refused and nothing was done; else the failing verdict. */
    private static Verdict refused(Session s, Req r, Reply a, String what) {
        if (a.status() == 0) {
            return Verdict.fail("no answer (" + a.exchange().error() + ")");
        }
        if (Answers.is2xx(a.status())) {
            return Verdict.fail("accepted a request with " + what + " (" + a.status() + "): anyone who can reach "
                    + "the appservice can drive it; compare the Authorization header (and ?access_token=) with the "
                    + "hs_token, in constant time, before anything else");
        }
        if (a.status() >= 500) {
            return Verdict.fail("answered " + a.status() + " to " + what + ": refuse it with 401/403 instead");
        }
        if (r.processed != null && processedAfterQuiet(s, r.processed)) {
            return Verdict.fail("refused with " + a.status() + " but acted on it anyway: " + r.whatProcessed);
        }
        return null;
    }

    private static boolean processedAfterQuiet(Session s, BooleanSupplier processed) {
        return s.hs.waitUntil(processed, s.settings.quietPeriod());
    }

    private static Verdict accepted(Session s, Req r, Auth auth) {
        Reply a = s.sender.send(r.method, r.path, auth, r.body);
        if (a.status() == 0) {
            return Verdict.fail("no answer (" + a.exchange().error() + ")");
        }
        if (a.status() == 401 || a.status() == 403) {
            return Verdict.fail("refused the right token presented in the " + auth.label + " only (" + a.status()
                    + " " + errcodeOf(a) + "): read the Authorization header first and fall back to ?access_token=");
        }
        if (a.status() >= 500) {
            return Verdict.fail("answered " + a.status() + " to a correct request");
        }
        if (Answers.is2xx(a.status()) && !Answers.isJsonObject(a.body())) {
            return Verdict.fail(Answers.notJsonObjectSuccess(a.status(), a.body()));
        }
        if ("PUT".equals(r.method) && s.hasProbe() && Answers.is2xx(a.status())
                && s.hs.waitUntil(r.processed, s.settings.reactionTimeout())) {
            s.probeReacted = true; // later checks may count on a reaction to the probe
        }
        return Verdict.pass("accepted: " + a.status() + " " + RawSender.excerpt(a.body()));
    }

    static String errcodeOf(Reply a) {
        String e = Answers.errcode(a.body());
        return e == null ? "(no errcode)" : e;
    }

    // ---- the requests --------------------------------------------------------------------------------------------

    private static Req transaction(Session s, String tag) {
        String room = s.rooms.room("auth probe, " + tag, false);
        String eventId = s.rooms.kit().send(room, s.probeText());
        String body = s.rooms.transaction(List.of(s.rooms.event(eventId)));
        return new Req("PUT", "/_matrix/app/v1/transactions/" + s.nextTxnId(), body,
                () -> s.rooms.reactions(room) > 0, "it made requests about the probe's room " + room);
    }

    private static Req userQuery(Session s, String tag) {
        String user = s.rooms.sampleUser(tag);
        String id = user != null ? user : s.rooms.outsideUser(tag);
        return new Req("GET", "/_matrix/app/v1/users/" + quote(id), null,
                () -> s.hs.findUser(id).isPresent(), "it created " + id);
    }

    private static Req aliasQuery(Session s, String tag) {
        String alias = s.rooms.sampleAlias(tag);
        String id = alias != null ? alias : s.rooms.outsideAlias(tag);
        return new Req("GET", "/_matrix/app/v1/rooms/" + quote(id), null,
                () -> s.hs.findRoom(id).isPresent(), "it created a room with the alias " + id);
    }

    private static Req ping(Session s, String tag) {
        return new Req("POST", "/_matrix/app/v1/ping", "{\"transaction_id\":\"conformance-" + s.nextTxnId() + "\"}",
                null, null);
    }

    /** Python's {@code urllib.parse.quote} with {@code /} safe, as Synapse encodes path parameters (§2.2). */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return sb.toString();
    }
}
