package dev.fakehomeserver.internal.registration;

import dev.fakehomeserver.LintFinding;
import dev.fakehomeserver.Namespace;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.internal.base.TokenIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Warnings about registrations that Synapse loads without complaint but that are probably mistakes.
 *
 * <p>Nothing here is an error: a test harness may well use {@code http://127.0.0.1} and short tokens on purpose.
 * The harness decides whether to log, fail, or ignore the findings.
 */
public final class RegistrationLint {
    /** Ordinary local users; a regex matching all of them claims (practically) every user of the server. */
    private static final List<String> ORDINARY_LOCALPARTS = List.of("a", "alice", "zz", "bob.smith", "user42");

    private RegistrationLint() {
    }

    /** The findings for one registration, in field order, each with its field's line; empty if nothing looks wrong. */
    public static List<LintFinding> lint(Registration r, String serverName) {
        return findings(r, serverName).stream()
                .map(f -> new LintFinding(f.registrationId(), f.field(), f.message(), r.line(f.field()))).toList();
    }

    private static List<LintFinding> findings(Registration r, String serverName) {
        List<LintFinding> out = new ArrayList<>();
        regexes(r, "users", r.users(), serverName, out);
        regexes(r, "aliases", r.aliases(), serverName, out);
        regexes(r, "rooms", r.rooms(), serverName, out);
        if (!r.rateLimited()) {
            out.add(new LintFinding(r.id(), "rate_limited",
                    "rate_limited is false: the appservice's users bypass rate limits; keep it true unless the "
                            + "appservice really sends at high volume"));
        }
        if (r.url() != null && !r.url().toLowerCase(Locale.ROOT).startsWith("https://")) {
            out.add(new LintFinding(r.id(), "url", "url '" + r.url() + "' is not https: the hs_token and every "
                    + "event travel in clear text"));
        }
        token(r, "as_token", r.asToken(), out);
        token(r, "hs_token", r.hsToken(), out);
        if (TokenIndex.same(r.asToken(), r.hsToken())) {
            out.add(new LintFinding(r.id(), "hs_token", "hs_token equals as_token: whoever sees the token one side "
                    + "sends can also impersonate the other side"));
        }
        return out;
    }

    private static void regexes(Registration r, String kind, List<Namespace> list, String serverName,
                                List<LintFinding> out) {
        for (int i = 0; i < list.size(); i++) {
            String field = "namespaces." + kind + "[" + i + "].regex";
            String regex = list.get(i).regex();
            Pattern p;
            try {
                p = list.get(i).pattern();
            } catch (PatternSyntaxException e) {
                out.add(new LintFinding(r.id(), field, "regex '" + regex + "' does not compile: " + e.getDescription()));
                continue;
            }
            if (kind.equals("users") && claimsEveryUser(p, serverName)) {
                out.add(new LintFinding(r.id(), field, "regex '" + regex + "' matches every user of " + serverName
                        + (list.get(i).exclusive()
                                ? "; being exclusive, it blocks normal user registration"
                                : "; the appservice will be sent every event of every user")));
            }
            if (RegexBudget.backtracksBadly(p)) {
                out.add(new LintFinding(r.id(), field, "regex '" + regex + "' backtracks catastrophically (nested "
                        + "quantifiers such as (.*a){12}): matching a 40-character id exceeds " + RegexBudget.MAX_STEPS
                        + " steps; the fake gives up on such matches and counts them as no match, Synapse would "
                        + "stall"));
            }
            if (!regex.contains(":")) {
                out.add(new LintFinding(r.id(), field, "regex '" + regex + "' has no server part (no ':'), so it "
                        + "also matches ids on other servers"));
            }
            if (!regex.endsWith("$")) {
                out.add(new LintFinding(r.id(), field, "regex '" + regex + "' does not end with '$': Synapse "
                        + "anchors matches only at the start, so anything may follow what it matches "
                        + "(e.g. a longer server name)"));
            }
        }
    }

    private static boolean claimsEveryUser(Pattern p, String serverName) {
        return ORDINARY_LOCALPARTS.stream().allMatch(l -> RegexBudget.lookingAt(p, "@" + l + ":" + serverName));
    }

    private static void token(Registration r, String field, String token, List<LintFinding> out) {
        String weakness = TokenChecks.weakness(field, token);
        if (weakness != null) {
            // Only the length and shape are reported: the token itself is a secret.
            out.add(new LintFinding(r.id(), field, weakness));
        }
    }
}
