package dev.fakehomeserver.internal.registration;

import dev.fakehomeserver.Namespace;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.RegistrationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.PatternSyntaxException;

/**
 * Checks that a set of registrations can be loaded together.
 *
 * <p>{@link #validate} does what Synapse does at startup: ids and as_tokens must be unique. It also repeats the
 * per-registration checks that {@link RegistrationLoader} makes, because registrations built in code never went
 * through the loader.
 *
 * <p>{@link #checkNamespaceConflicts} is <em>not</em> something Synapse does (it happily loads overlapping exclusive
 * namespaces, and then neither appservice can register ids in the overlap). It reproduces the hosting platform's
 * "namespace conflict" refusal. Two exclusive claims of the same kind (users, aliases or rooms; for users, every
 * sender user id counts as an exclusive claim too) conflict when:
 * <ol>
 *   <li>some sample string is matched by both. Samples come from {@link RegexSamples} for each regex, every sender
 *       user id, and each regex's samples re-prefixed with the other's literal prefix. Such a conflict is certain:
 *       the message shows the string;</li>
 *   <li>otherwise, never when the two literal prefixes ({@link RegexShape#literalPrefix}) differ so that neither is
 *       a prefix of the other: matching is anchored at the start, so no string can match both. This is exact;</li>
 *   <li>otherwise, when both regexes accept any text right after their prefix ({@link RegexShape#openEnded}).
 *       This is a presumption, not a proof: {@code @a_.*:x$} and {@code @a_b.*:y$} are reported although no id
 *       matches both;</li>
 *   <li>otherwise they are taken not to conflict. This can miss a real overlap that the samples did not hit, such
 *       as {@code @a_[xy]$} against {@code @a_.*y$} (both match {@code @a_y}).</li>
 * </ol>
 * A precise answer would need automaton intersection over Python regex syntax; this keeps to checks that are easy
 * to read and explain. Only exclusive entries are compared, even where an earlier non-exclusive entry of the same
 * registration shadows them (Synapse's first-match rule).
 */
public final class RegistrationSetValidator {
    private static final List<String> KINDS = List.of("users", "aliases", "rooms");

    private RegistrationSetValidator() {
    }

    /**
     * Refuses what Synapse refuses: a repeated id or as_token, and any registration that would not load.
     *
     * @param serverName the server the registrations belong to; Synapse's checks do not depend on it, it is taken
     *                   so that this and {@link #checkNamespaceConflicts} are called alike
     */
    public static void validate(List<Registration> registrations, String serverName) {
        Objects.requireNonNull(serverName, "serverName");
        Map<String, Registration> byId = new HashMap<>();
        Map<String, Registration> byAsToken = new HashMap<>();
        for (Registration r : registrations) {
            checkOne(r);
            Registration sameId = byId.putIfAbsent(r.id(), r);
            if (sameId != null) {
                throw new RegistrationException("Cannot reuse ID across application services: " + r.id()
                        + " (files: " + sameId.source() + ", " + r.source() + ")", r.source(), "id", 0, null);
            }
            Registration sameToken = byAsToken.putIfAbsent(r.asToken(), r);
            if (sameToken != null) {
                // Synapse prints the token here; a test log is no place for a secret, so name the ids instead.
                throw new RegistrationException("Cannot reuse as_token across application services: "
                        + sameToken.id() + " and " + r.id() + " (files: " + sameToken.source() + ", "
                        + r.source() + ")", r.source(), "as_token", 0, null);
            }
        }
    }

    /** Refuses two registrations whose exclusive namespaces overlap (see the class comment for how and its limits). */
    public static void checkNamespaceConflicts(List<Registration> registrations, String serverName) {
        checkNamespaceConflicts(registrations, serverName, r -> false);
    }

    /**
     * As {@link #checkNamespaceConflicts(List, String)}, where the registrations {@code fixed} accepts cannot be
     * changed by the user (the platform's managed bridges): the message then tells them to narrow their own.
     */
    public static void checkNamespaceConflicts(List<Registration> registrations, String serverName,
                                               Predicate<Registration> fixed) {
        if (registrations.size() < 2) {
            // Conflicts are between two registrations. Building the claims (regex samples) of a lone one was an
            // eighth of a warm start's samples (benchmarks/README.md, figure 2) for nothing to compare.
            return;
        }
        List<String> senders = registrations.stream().map(r -> r.senderUserId(serverName)).toList();
        for (String kind : KINDS) {
            List<List<NamespaceClaim>> claims = new ArrayList<>();
            for (Registration r : registrations) {
                claims.add(claimsOf(r, kind, serverName));
            }
            List<String> extra = kind.equals("users") ? senders : List.of();
            for (int i = 0; i < claims.size(); i++) {
                for (int j = i + 1; j < claims.size(); j++) {
                    compare(claims.get(i), claims.get(j), extra, fixed);
                }
            }
        }
    }

    private static void compare(List<NamespaceClaim> first, List<NamespaceClaim> second, List<String> extra,
                                Predicate<Registration> fixed) {
        for (NamespaceClaim a : first) {
            for (NamespaceClaim b : second) {
                Optional<String> why = a.overlapWith(b, extra);
                if (why.isPresent()) {
                    Registration ra = a.owner();
                    Registration rb = b.owner();
                    throw new RegistrationException("namespace conflict: " + b.label() + " of '" + rb.id() + "' ("
                            + rb.source() + ") overlaps " + a.label() + " of '" + ra.id() + "' (" + ra.source()
                            + "): " + why.get() + (fixed.test(ra) ? ". Narrow your regex: '" + ra.id()
                                    + "' belongs to the platform." : ". Narrow one of them."),
                            rb.source(), b.field(), 0, null);
                }
            }
        }
    }

    private static List<NamespaceClaim> claimsOf(Registration r, String kind, String serverName) {
        List<NamespaceClaim> out = new ArrayList<>();
        List<Namespace> list = namespaces(r, kind);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).exclusive()) {
                out.add(NamespaceClaim.ofRegex(r, kind, i, list.get(i)));
            }
        }
        if (kind.equals("users")) {
            out.add(NamespaceClaim.ofSender(r, serverName)); // last: a clash of two regexes is the clearer message
        }
        return out;
    }

    private static List<Namespace> namespaces(Registration r, String kind) {
        return switch (kind) {
            case "users" -> r.users();
            case "aliases" -> r.aliases();
            default -> r.rooms();
        };
    }

    /** The loader's per-registration rules, for registrations built in code. */
    private static void checkOne(Registration r) {
        if (r.id().contains("|")) {
            throw RegistrationException.at(r.source(), "id", 0, "application service ID cannot contain '|' character");
        }
        for (String[] token : new String[][] {{"as_token", r.asToken()}, {"hs_token", r.hsToken()}}) {
            String refusal = TokenChecks.refusal(token[0], token[1]);
            if (refusal != null) {
                throw RegistrationException.at(r.source(), token[0], 0, refusal);
            }
        }
        int bad = RegistrationLoader.firstUrlUnsafeChar(r.senderLocalpart());
        if (bad >= 0) {
            throw RegistrationException.at(r.source(), "sender_localpart", 0, "needs characters which are not URL "
                    + "encoded: '" + new String(Character.toChars(bad)) + "'");
        }
        for (String kind : KINDS) {
            List<Namespace> list = namespaces(r, kind);
            for (int i = 0; i < list.size(); i++) {
                try {
                    list.get(i).pattern();
                } catch (PatternSyntaxException e) {
                    throw RegistrationException.at(r.source(), "namespaces." + kind + "[" + i + "].regex", 0,
                            "invalid regular expression: " + e.getDescription() + " near index " + e.getIndex()
                                    + " of " + list.get(i).regex());
                }
            }
        }
    }
}
