package dev.fakehomeserver.internal.registration;

import dev.fakehomeserver.Namespace;
import dev.fakehomeserver.Registration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Something one registration claims exclusively: an exclusive namespace regex, or its sender user id (which Synapse
 * always treats as exclusive to its appservice).
 *
 * @param owner the registration making the claim
 * @param field where it is written, such as {@code namespaces.users[0].regex} or {@code sender_localpart}
 * @param label how messages name it, such as {@code exclusive users regex '@a_.*:test'}
 * @param pattern the compiled regex, matched with {@code lookingAt()} as Synapse does
 * @param prefix the literal text every match starts with
 * @param openEnded whether any text may follow the prefix (see {@link RegexShape#openEnded})
 * @param samples strings the claim certainly matches
 */
record NamespaceClaim(Registration owner, String field, String label, Pattern pattern, String prefix,
                      boolean openEnded, List<String> samples) {

    static NamespaceClaim ofRegex(Registration owner, String kind, int index, Namespace ns) {
        String regex = ns.regex();
        return new NamespaceClaim(owner, "namespaces." + kind + "[" + index + "].regex",
                "exclusive " + kind + " regex '" + regex + "'", ns.pattern(), RegexShape.literalPrefix(regex),
                RegexShape.openEnded(regex), RegexSamples.of(regex));
    }

    static NamespaceClaim ofSender(Registration owner, String serverName) {
        String userId = owner.senderUserId(serverName);
        // Synapse compares the sender by string equality, hence the end anchor.
        return new NamespaceClaim(owner, "sender_localpart", "sender '" + userId + "'",
                Pattern.compile(Pattern.quote(userId) + "\\z"), userId, false, List.of(userId));
    }

    boolean matches(String id) {
        return RegexBudget.lookingAt(pattern, id);
    }

    /**
     * Why this claim and {@code other} overlap, or empty if they are taken not to. See
     * {@link RegistrationSetValidator} for the reasoning and its limits.
     *
     * @param extraSamples more candidate strings to try, such as every sender user id
     */
    Optional<String> overlapWith(NamespaceClaim other, List<String> extraSamples) {
        List<String> candidates = new ArrayList<>(samples);
        candidates.addAll(other.samples);
        candidates.addAll(extraSamples);
        candidates.addAll(splices(this, other));
        candidates.addAll(splices(other, this));
        for (String s : candidates) {
            if (matches(s) && other.matches(s)) {
                return Optional.of("both match '" + s + "'");
            }
        }
        if (!prefix.startsWith(other.prefix) && !other.prefix.startsWith(prefix)) {
            return Optional.empty(); // every match of each starts with its own prefix: no string starts with both
        }
        if (openEnded && other.openEnded) {
            String common = prefix.length() < other.prefix.length() ? prefix : other.prefix;
            return Optional.of("no common example was found, but both accept any text after the common prefix '"
                    + common + "', so they are taken to overlap");
        }
        return Optional.empty();
    }

    /**
     * When {@code shorter}'s prefix is a prefix of {@code longer}'s, {@code shorter}'s samples with their start
     * replaced by {@code longer}'s prefix: for {@code @irc_[^:]+:test} and {@code @irc_bob.*} this finds
     * {@code @irc_boba:test}.
     */
    private static List<String> splices(NamespaceClaim shorter, NamespaceClaim longer) {
        if (!longer.prefix.startsWith(shorter.prefix)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : shorter.samples) {
            if (s.startsWith(shorter.prefix)) {
                out.add(longer.prefix + s.substring(shorter.prefix.length()));
            }
        }
        return out;
    }
}
