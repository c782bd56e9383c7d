package dev.fakehomeserver.internal.registration;

/**
 * Two cheap facts about a namespace regex, used to decide whether two regexes can overlap.
 *
 * <p>{@link #literalPrefix} is the text every match must start with. It is computed conservatively, so it may be
 * shorter than it could be but is never wrong: it stops at the first metacharacter, drops a character made optional
 * by a following {@code *}, {@code ?} or {@code {...}}, treats {@code \.}-style escapes of punctuation as literals,
 * skips a leading {@code ^} (a no-op under Synapse's start-anchored matching), and is empty when the regex has a
 * top-level {@code |}.
 */
final class RegexShape {
    private static final String META = ".^$*+?{}[]()|";

    private RegexShape() {
    }

    /** The literal text every string matched by {@code regex} (anchored at the start) begins with. */
    static String literalPrefix(String regex) {
        return scan(regex).prefix;
    }

    /**
     * Whether the regex accepts any text right after its literal prefix: what follows the prefix is nothing at all
     * (without a {@code $}) or starts with {@code .*} or {@code .+}. This says nothing about what comes later, so
     * {@code @a_.*:x$} counts as open-ended although it only accepts ids ending in {@code :x}.
     */
    static boolean openEnded(String regex) {
        String rest = regex.substring(scan(regex).restStart);
        return rest.isEmpty() || rest.startsWith(".*") || rest.startsWith(".+");
    }

    private record Scan(String prefix, int restStart) {
    }

    private static Scan scan(String r) {
        if (hasTopLevelAlternation(r)) {
            return new Scan("", 0);
        }
        StringBuilder prefix = new StringBuilder();
        int i = r.startsWith("^") ? 1 : 0;
        while (i < r.length()) {
            int atomStart = i;
            char c = r.charAt(i);
            char literal;
            if (c == '\\') {
                // \d, \w, \b, \1... are classes, anchors or back-references; \. \- \: are the character itself.
                if (i + 1 >= r.length() || Character.isLetterOrDigit(r.charAt(i + 1))) {
                    break;
                }
                literal = r.charAt(i + 1);
                i += 2;
            } else if (META.indexOf(c) >= 0) {
                break;
            } else {
                literal = c;
                i++;
            }
            char next = i < r.length() ? r.charAt(i) : 0;
            if (next == '*' || next == '?' || next == '{') {
                return new Scan(prefix.toString(), atomStart); // the character may be absent
            }
            prefix.append(literal);
            if (next == '+') {
                return new Scan(prefix.toString(), atomStart); // present once, maybe repeated
            }
        }
        return new Scan(prefix.toString(), i);
    }

    /** Whether a {@code |} outside any group and character class splits the whole regex. */
    static boolean hasTopLevelAlternation(String r) {
        int depth = 0;
        boolean inClass = false;
        for (int i = 0; i < r.length(); i++) {
            char c = r.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
                // a "]" right after "[" or "[^" is a literal member, not the end of the class
                if (i + 1 < r.length() && r.charAt(i + 1) == '^') {
                    i++;
                }
                if (i + 1 < r.length() && r.charAt(i + 1) == ']') {
                    i++;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                return true;
            }
        }
        return false;
    }
}
