package dev.fakehomeserver.internal.base;

/**
 * Makes text from a request or a registration safe to put in a log line: control characters (CR, LF, ESC, the
 * C1 range, DEL) and the Unicode line and paragraph separators are written as escapes ({@code \r}, {@code \n},
 * {@code \u001b}), so a url with {@code CR LF} cannot forge a second log line and an escape sequence cannot
 * repaint the terminal (issue 17, log injection).
 *
 * <pre>{@code
 * out.println("fake-homeserver: pushing to " + LogText.escape(registration.url()));
 * }</pre>
 */
public final class LogText {
    private LogText() {}

    /** {@code text} with every control character escaped; null as {@code "null"}. */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        int i = 0;
        while (i < text.length() && !isControl(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                out.append(c);
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
