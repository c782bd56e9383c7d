package dev.fakehomeserver.journal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A path glob over client-server paths, shared by fault rules and journal assertions so both read patterns the
 * same way: {@code *} or {@code {name}} matches one segment, {@code **} any number of segments, and a {@code *}
 * at the end the rest of the path. The {@code /_matrix/client/vN} prefix is optional, and paths are compared
 * decoded ({@code !room:test}, not {@code %21room%3Atest}).
 *
 * <pre>{@code
 * PathPattern send = PathPattern.of("/rooms/{roomId}/send/*");
 * send.matches("/_matrix/client/v3/rooms/%21a%3Atest/send/m.room.message/t1");   // true
 * }</pre>
 */
public final class PathPattern {
    private static final String CLIENT_PREFIX = "/_matrix/client/";
    private final String glob;
    private final Pattern regex;

    private PathPattern(String glob) {
        this.glob = glob;
        this.regex = compile(withoutPrefix(glob));
    }

    /** Compiles a glob such as {@code /rooms/*}{@code /send/*}. */
    public static PathPattern of(String glob) {
        return new PathPattern(glob);
    }

    /** Whether a path (raw or decoded, with or without the client prefix) matches. */
    public boolean matches(String path) {
        return regex.matcher(decode(withoutPrefix(path))).matches();
    }

    /**
     * The path without {@code /_matrix/client/} and its version ({@code v3}, {@code r0}, {@code unstable}...):
     * {@code /rooms/...}; {@code /_matrix/client/versions}, which has no version, is {@code /versions}. The one
     * short-path rule: fault rules, {@link RecordedRequest#shortPath()} and journal asserts all use it.
     */
    public static String withoutPrefix(String p) {
        if (!p.startsWith(CLIENT_PREFIX)) {
            return p;
        }
        int i = p.indexOf('/', CLIENT_PREFIX.length());
        String first = i < 0 ? p.substring(CLIENT_PREFIX.length()) : p.substring(CLIENT_PREFIX.length(), i);
        if (!isVersion(first)) {
            return p.substring(CLIENT_PREFIX.length() - 1);
        }
        return i < 0 ? "/" : p.substring(i);
    }

    private static boolean isVersion(String segment) {
        return segment.equals("r0") || segment.equals("unstable")
                || segment.length() > 1 && segment.charAt(0) == 'v' && segment.chars().skip(1).allMatch(Character::isDigit);
    }

    private static String decode(String p) {
        try {
            // A literal '+' in a path is a plus, not a space.
            return URLDecoder.decode(p.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return p;
        }
    }

    private static Pattern compile(String g) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '{' && g.indexOf('}', i) > 0) {
                re.append("[^/]+");
                i = g.indexOf('}', i);
            } else if (c == '*') {
                if (i == g.length() - 1) {
                    re.append(".*");
                } else if (g.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else {
                    re.append("[^/]*");
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    @Override
    public String toString() {
        return glob;
    }
}
