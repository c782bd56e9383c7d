package dev.fakehomeserver.internal.base;

/**
 * Python's string rules where Synapse's answers depend on them and Java's differ. {@link #strip} is
 * {@code str.strip()}: Python's whitespace is Java's {@link Character#isWhitespace} plus the no-break spaces
 * (U+00A0, U+2007, U+202F) and NEL (U+0085), so {@code " \u00a0Bob\u00a0"} strips to {@code "Bob"} as in Synapse.
 */
public final class PythonText {
    private PythonText() {}

    /** {@code str.isspace()} for one character. */
    public static boolean isSpace(char ch) {
        return Character.isWhitespace(ch) || ch == '\u00a0' || ch == '\u2007' || ch == '\u202f' || ch == '\u0085';
    }

    /** {@code str.strip()}: {@code s} without leading and trailing Python whitespace. */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }
}
