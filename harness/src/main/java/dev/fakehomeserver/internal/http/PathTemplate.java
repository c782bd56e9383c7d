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
        if (s.indexOf('%') < 0) {
            return s;
        }
        try {
            // URLDecoder would turn '+' into a space, which is wrong in a path.
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Malformed percent-encoding in the path");
        }
    }
}
