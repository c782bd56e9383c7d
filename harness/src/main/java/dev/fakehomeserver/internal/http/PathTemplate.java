package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.internal.base.MatrixException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits raw paths into segments and decodes each one on its own, so that {@code %2F} stays inside a segment. */
public final class PathTemplate {
    private PathTemplate() {}

    /** {@code /a/b/} gives {@code [a, b, ""]}: a trailing slash is an empty last segment (state keys use it). */
    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        int start = path.startsWith("/") ? 1 : 0;
        while (true) {
            int slash = path.indexOf('/', start);
            if (slash < 0) {
                out.add(path.substring(start));
                return out;
            }
            out.add(path.substring(start, slash));
            start = slash + 1;
        }
    }

    public static List<String> splitDecoded(String rawPath) {
        List<String> raw = split(rawPath);
        List<String> out = new ArrayList<>(raw.size());
        for (String s : raw) {
            out.add(decode(s));
        }
        return out;
    }

    /**
     * Percent-decodes a segment whose escapes are all {@code %} and two hex digits, as {@link URLDecoder} does
     * (each run of escapes read as UTF-8, malformed bytes as U+FFFD; '+' left alone), or null for anything else,
     * which {@link #decode} hands to URLDecoder so that it is refused or read exactly as before. Every client
     * API request decodes its room id this way, and URLDecoder's general path was a visible part of a send.
     */
    private static String decodeWellFormed(String s, int first) {
        StringBuilder out = new StringBuilder(s.length());
        out.append(s, 0, first);
        byte[] run = null;
        int i = first;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            if (run == null) {
                run = new byte[(n - i) / 3];
            }
            int len = 0;
            while (i < n && s.charAt(i) == '%') {
                int hi = i + 2 < n ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
                if (lo < 0) {
                    return null;
                }
                run[len++] = (byte) (hi << 4 | lo);
                i += 3;
            }
            out.append(new String(run, 0, len, StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    /** Parses a raw query string; here {@code +} is a space, as in forms. */
    public static java.util.Map<String, java.util.Deque<String>> parseQuery(String raw) {
        java.util.Map<String, java.util.Deque<String>> out = new java.util.LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.computeIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), x -> new java.util.ArrayDeque<>())
                        .add(URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw MatrixException.invalidParam("Malformed percent-encoding in the query string");
            }
        }
        return out;
    }

    static String decode(String s) {
        int first = s.indexOf('%');
        if (first < 0) {
            return s;
        }
        String fast = decodeWellFormed(s, first);
        if (fast != null) {
            return fast;
        }
        try {
            // URLDecoder would turn '+' into a space, which is wrong in a path.
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Malformed percent-encoding in the path");
        }
    }
}
