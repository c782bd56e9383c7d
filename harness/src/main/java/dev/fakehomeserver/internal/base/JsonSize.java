package dev.fakehomeserver.internal.base;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;

/**
 * The length in bytes of a tree as {@link Json#bytes} would write it, counted without writing it, and a way to
 * visit a container's children that leaves the tree as it was.
 *
 * <p>Why not {@code Json.bytes(node).length}: every event is measured on the append path, and serialising an
 * {@link ObjectNode} (or iterating it with {@code for (JsonNode child : node)}) makes its backing
 * {@code LinkedHashMap} create and keep its {@code entrySet()} and {@code values()} views: 32 bytes retained
 * per stored event for as long as the event is, 6% of an event's footprint (benchmark figure 7a), on top of a
 * full serialisation per append (the largest single item of a client API send in a JFR profile of figure 6).
 * {@link ObjectNode#forEachEntry} walks the map without a view.
 */
public final class JsonSize {
    private JsonSize() {}

    /** Each direct child of an object or array (nothing for a value), without creating or keeping map views. */
    public static void eachChild(JsonNode n, Consumer<JsonNode> action) {
        if (n instanceof ObjectNode o) {
            o.forEachEntry((k, v) -> action.accept(v));
        } else if (n.isArray()) {
            for (int i = 0, size = n.size(); i < size; i++) {
                action.accept(n.get(i));
            }
        }
    }

    /** Bytes of compact JSON (UTF-8, Jackson's escapes) for {@code n}. */
    public static long of(JsonNode n) {
        return of(n, Long.MAX_VALUE);
    }

    /**
     * The same count, given up once it passes {@code stopAbove}: the answer is then some number above it. The
     * append path checks every event against its size limit this way, and only a refused one is counted whole.
     */
    public static long of(JsonNode n, long stopAbove) {
        long[] sum = {0};
        add(sum, n, stopAbove);
        return sum[0];
    }

    private static void add(long[] sum, JsonNode n, long stopAbove) {
        if (sum[0] > stopAbove) {
            return;
        }
        if (n instanceof ObjectNode o) {
            sum[0] += 2 + Math.max(0, o.size() - 1); // braces and commas
            o.forEachEntry((k, v) -> {
                if (sum[0] <= stopAbove) {
                    sum[0] += string(k) + 1;
                    add(sum, v, stopAbove);
                }
            });
        } else if (n.isArray()) {
            sum[0] += 2 + Math.max(0, n.size() - 1);
            for (int i = 0, count = n.size(); i < count && sum[0] <= stopAbove; i++) {
                add(sum, n.get(i), stopAbove);
            }
        } else if (n.isTextual()) {
            sum[0] += string(n.textValue());
        } else if (n.isNumber() || n.isBoolean() || n.isNull()) {
            sum[0] += n.asText().length();
        } else {
            sum[0] += Json.bytes(n).length; // binary or POJO nodes: never in a parsed body, rare enough to write
        }
    }

    /** A quoted string: UTF-8 bytes, two for a short escape, six for a {@code \\u00XX} one or a surrogate. */
    static long string(String s) {
        long size = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r') {
                size += 2;
            } else if (c < 0x20) {
                size += 6;
            } else if (c < 0x80) {
                size += 1;
            } else if (c < 0x800) {
                size += 2;
            } else if (Character.isSurrogate(c)) {
                size += 6; // Jackson writes each half of a pair as a six-byte escape, not as 4 bytes of UTF-8
            } else {
                size += 3;
            }
        }
        return size;
    }
}
