package dev.fakehomeserver.internal.registration;

import dev.fakehomeserver.internal.base.LogText;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Namespace matching that ends whatever the regex (issue 17, item 4). {@code java.util.regex} backtracks, so a
 * regex such as {@code @(.*a){12}x} takes exponential time on a 30-character id, and matching runs on the
 * request thread: one registration froze the whole server. Every match here reads the id through a
 * {@link CharSequence} that counts {@code charAt} calls (the engine reads the input through nothing else) and
 * gives up after {@link #MAX_STEPS}: a sane namespace regex on a 255-character id needs a few thousand.
 *
 * <p>A match that runs out of budget counts as no match (the id is not in the namespace) and is logged; the
 * lint ({@link #backtracksBadly}) warns about such a regex when the registration is loaded.
 */
public final class RegexBudget {
    /** charAt calls per match: ample for ids (at most 255 characters), microseconds for a hostile regex. */
    public static final int MAX_STEPS = 200_000;
    private static final Logger LOG = Logger.getLogger(RegexBudget.class.getName());
    /** Ids that make nested quantifiers backtrack: long runs of the characters namespace regexes use. */
    private static final List<String> PROBES = List.of("a".repeat(40), "_".repeat(40), "0".repeat(40),
            "@" + "a".repeat(40) + ":", "#" + "a".repeat(40) + ":", "!" + "a".repeat(40) + ":");

    private RegexBudget() {}

    /** The budget ran out. */
    static final class Exhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exhausted() {
            super(null, null, false, false);
        }
    }

    /** A string read with a step budget. */
    private static final class Counted implements CharSequence {
        private final String s;
        private int steps;

        Counted(String s) {
            this.s = s;
        }

        @Override
        public char charAt(int index) {
            if (++steps > MAX_STEPS) {
                throw new Exhausted();
            }
            return s.charAt(index);
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return s.subSequence(start, end);
        }

        @Override
        public String toString() {
            return s;
        }
    }

    /** Python's {@code re.match} (anchored at the start only), within the budget; no match when it runs out. */
    public static boolean lookingAt(Pattern p, String id) {
        try {
            return p.matcher(new Counted(id)).lookingAt();
        } catch (Exhausted e) {
            LOG.warning(() -> "namespace regex '" + LogText.escape(p.pattern()) + "' gave up on an id of " + id.length()
                    + " characters after " + MAX_STEPS + " steps (catastrophic backtracking); counted as no match");
            return false;
        }
    }

    /** Whether matching some plausible id runs out of the budget: the regex backtracks catastrophically. */
    public static boolean backtracksBadly(Pattern p) {
        for (String probe : PROBES) {
            try {
                p.matcher(new Counted(probe)).lookingAt();
            } catch (Exhausted e) {
                return true;
            }
        }
        return false;
    }
}
