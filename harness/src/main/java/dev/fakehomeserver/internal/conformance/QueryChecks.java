package dev.fakehomeserver.internal.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.internal.conformance.RawSender.Auth;
import dev.fakehomeserver.internal.conformance.RawSender.Reply;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.journal.RecordedTransaction.Kind;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * User and alias queries, third-party lookups and ping (spec-digest §2.4 to §2.7). The ones a homeserver makes
 * are provoked through the fake the way Synapse makes them (an invite of an unknown namespaced user, a lookup of
 * a missing alias, a client's third-party lookup, the appservice ping endpoint), so the fake's pusher sends them;
 * only queries about names outside the namespace, which a homeserver never sends, come from the kit's sender.
 */
final class QueryChecks {
    private QueryChecks() {}

    static List<CheckDef> all() {
        return List.of(
                CheckDef.must("query.user.exists_once_created", "§2.4 user query",
                        "the kit's user invites an unknown user of the namespace; the fake asks GET /users/{userId}",
                        "200 {} only when the user was registered before the answer (the fake checks); else 404",
                        QueryChecks::userQuery),
                CheckDef.should("query.user.outside_namespace", "§2.4 user query",
                        "GET /_matrix/app/v1/users/{userId} for a user outside the namespace",
                        "404 with an errcode", s -> outside(s, "/_matrix/app/v1/users/",
                                s.rooms.outsideUser("query"))),
                CheckDef.must("query.alias.exists_once_created", "§2.5 alias query",
                        "a client looks up a missing alias of the namespace; the fake asks GET /rooms/{alias}",
                        "200 {} only when the room and alias exist before the answer (the fake checks); else 404",
                        QueryChecks::aliasQuery),
                CheckDef.should("query.alias.outside_namespace", "§2.5 alias query",
                        "GET /_matrix/app/v1/rooms/{alias} for an alias outside the namespace",
                        "404 with an errcode", s -> outside(s, "/_matrix/app/v1/rooms/",
                                s.rooms.outsideAlias("query"))),
                CheckDef.should("thirdparty.protocol", "§2.7 third-party networks",
                        "for each declared protocol, a client's GET /thirdparty/protocol/{p}; the fake asks the "
                                + "appservice",
                        "200 with a JSON object holding an `instances` list; skipped without protocols",
                        QueryChecks::protocol),
                CheckDef.should("thirdparty.lookups", "§2.7 third-party networks",
                        "for each declared protocol, a client's user and location lookups; the fake asks the "
                                + "appservice",
                        "200 with a JSON list (or 404 with an errcode); skipped without protocols",
                        QueryChecks::lookups),
                CheckDef.must("ping.transaction_id", "§2.6 ping",
                        "POST /_matrix/client/v1/appservice/{id}/ping with a transaction_id; the fake sends "
                                + "POST /_matrix/app/v1/ping {\"transaction_id\": ...}",
                        "200 with a JSON object ({})", QueryChecks::ping));
    }

    private static String decoded(String path) {
        return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static Verdict userQuery(Session s) {
        String user = s.rooms.sampleUser("invited");
        if (user == null) {
            return Verdict.skip("no users namespace the kit can make a name in: " + s.reg.users());
        }
        if (s.hs.findUser(user).isPresent()) {
            return Verdict.fail("the kit's sample user " + user + " exists already, so the homeserver would not ask "
                    + "about it (a bug in the kit)");
        }
        String room = s.rooms.room("user query", true);
        s.rooms.kit().invite(room, user);
        // Asked at once, whatever the push queue holds, as Synapse asks before it enqueues the invite: so the kit
        // waits for the query even while the appservice is down. (Giving up once down raced the query's answer:
        // an appservice that failed an earlier push failed this check, or passed it, by the machine's speed.)
        RecordedTransaction q = s.awaitSent("the user query for " + user,
                r -> r.kind() == Kind.USER_QUERY && decoded(r.path()).endsWith("/" + user), true);
        boolean exists = s.hs.findUser(user).isPresent();
        return existsOnceCreated(q, user, exists, "register the user (POST /register, m.login.application_service) "
                + "before answering 200 {}, or answer 404");
    }

    private static Verdict aliasQuery(Session s) {
        String alias = s.rooms.sampleAlias("lookedup");
        if (alias == null) {
            return Verdict.skip("no aliases namespace the kit can make a name in: " + s.reg.aliases());
        }
        s.callFake("GET", "/_matrix/client/v3/directory/room/" + AuthChecks.quote(alias),
                s.rooms.kit().accessToken(), null);
        RecordedTransaction q = s.awaitSent("the alias query for " + alias,
                r -> r.kind() == Kind.ALIAS_QUERY && decoded(r.path()).endsWith("/" + alias));
        boolean exists = s.hs.findRoom(alias).isPresent();
        if (exists) {
            s.created("alias " + alias + " (created by the appservice when asked)");
        }
        return existsOnceCreated(q, alias, exists, "create the room with the alias (createRoom with "
                + "room_alias_name, or PUT /directory/room) before answering 200 {}, or answer 404");
    }

    private static Verdict existsOnceCreated(RecordedTransaction q, String name, boolean exists, String fix) {
        if (Answers.is2xx(q.status())) {
            if (!Answers.isJsonObject(q.responseBody())) {
                return Verdict.fail(Answers.notJsonObjectSuccess(q.status(), q.responseBody()));
            }
            return exists ? Verdict.pass("200, and " + name + " exists in the homeserver")
                    : Verdict.fail("answered " + q.status() + " but " + name + " does not exist in the homeserver: "
                            + fix);
        }
        if (q.status() == 404) {
            return Verdict.pass("404: the appservice says " + name + " does not exist");
        }
        return Verdict.fail("answered " + (q.status() == 0 ? "nothing (" + q.error() + ")" : q.status())
                + ": answer 200 {} (after creating it) or 404");
    }

    private static Verdict outside(Session s, String prefix, String name) {
        Reply a = s.sender.send("GET", prefix + AuthChecks.quote(name), Auth.BOTH, null);
        if (a.status() == 404 && Answers.errcode(a.body()) != null) {
            return Verdict.pass("404 " + Answers.errcode(a.body()));
        }
        return Verdict.fail("answered " + (a.status() == 0 ? "nothing" : a.status() + " " + AuthChecks.errcodeOf(a))
                + " about " + name + ", which is outside the namespace; answer 404 {\"errcode\":\"M_NOT_FOUND\",...}");
    }

    private static Verdict protocol(Session s) {
        if (s.reg.protocols().isEmpty()) {
            return Verdict.skip("the registration declares no protocols");
        }
        List<String> wrong = new ArrayList<>();
        for (String p : s.reg.protocols()) {
            s.callFake("GET", "/_matrix/client/v3/thirdparty/protocol/" + AuthChecks.quote(p),
                    s.rooms.kit().accessToken(), null);
            RecordedTransaction r = s.awaitSent("the protocol query for " + p,
                    t -> t.kind() == Kind.THIRDPARTY && decoded(t.path()).endsWith("/thirdparty/protocol/" + p));
            JsonNode body = Answers.parse(r.responseBody());
            if (r.status() != 200 || body == null || !body.path("instances").isArray()) {
                wrong.add(p + ": " + r.status() + " " + RawSender.excerpt(r.responseBody()));
            }
        }
        return wrong.isEmpty() ? Verdict.pass("every protocol answered with its instances")
                : Verdict.fail("Synapse drops a protocol without a list of `instances`: " + wrong);
    }

    private static Verdict lookups(Session s) {
        if (s.reg.protocols().isEmpty()) {
            return Verdict.skip("the registration declares no protocols");
        }
        List<String> wrong = new ArrayList<>();
        for (String p : s.reg.protocols()) {
            for (String kind : List.of("user", "location")) {
                s.callFake("GET", "/_matrix/client/v3/thirdparty/" + kind + "/" + AuthChecks.quote(p)
                        + "?conformance=1", s.rooms.kit().accessToken(), null);
                RecordedTransaction r = s.awaitSent("the " + kind + " lookup for " + p,
                        t -> t.kind() == Kind.THIRDPARTY && decoded(t.path()).endsWith("/thirdparty/" + kind + "/" + p));
                JsonNode body = Answers.parse(r.responseBody());
                boolean ok = (r.status() == 200 && body != null && body.isArray())
                        || (r.status() == 404 && Answers.errcode(r.responseBody()) != null);
                if (!ok) {
                    wrong.add(kind + " " + p + ": " + r.status() + " " + RawSender.excerpt(r.responseBody()));
                }
            }
        }
        return wrong.isEmpty() ? Verdict.pass("every lookup answered a JSON list")
                : Verdict.fail("answer 200 with a JSON list (possibly empty): " + wrong);
    }

    private static Verdict ping(Session s) {
        String txn = "conformance-ping-" + s.nextTxnId();
        s.callFake("POST", "/_matrix/client/v1/appservice/" + AuthChecks.quote(s.reg.id()) + "/ping",
                s.reg.asToken(), "{\"transaction_id\":\"" + txn + "\"}");
        RecordedTransaction r = s.awaitSent("the ping", t -> t.kind() == Kind.PING && t.requestBody().contains(txn));
        if (r.status() == 200 && Answers.isJsonObject(r.responseBody())) {
            return Verdict.pass("200 " + RawSender.excerpt(r.responseBody()));
        }
        return Verdict.fail("answered " + (r.status() == 0 ? "nothing (" + r.error() + ")"
                : r.status() + " " + RawSender.excerpt(r.responseBody())) + "; answer 200 {} to POST /_matrix/app/v1/ping");
    }
}
