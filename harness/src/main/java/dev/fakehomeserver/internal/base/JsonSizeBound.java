package dev.fakehomeserver.internal.base;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A cheap upper bound of the bytes {@link Json#bytes} would write for a tree, so a size limit can be checked
 * without serialising: only a tree whose bound is over the limit needs the exact count. Counting 6 bytes per
 * character of every string covers the worst of UTF-8 (3 bytes) and of escaping ({@code \}{@code u0000}, 6 bytes);
 * numbers other than ints, longs and doubles (whose text length is bounded) answer "unknown".
 *
 * <p>Why: serialising every appended event only to measure it was the largest single item of a client API send
 * (7% of the server thread's samples in a JFR profile of figure 6).
 */
public final class JsonSizeBound {
    /** What {@link #of} answers when it cannot bound the size: a caller then counts exactly. */
    public static final long UNKNOWN = Long.MAX_VALUE;
    /** The longest text of a long ({@code -9223372036854775808}) or a double ({@code -1.7976931348623157E308}). */
    private static final int MAX_NUMBER_CHARS = 24;

    private JsonSizeBound() {}

    /**
     * At least as many bytes as the tree's JSON; stops counting (answering more than {@code stopAbove}) once
     * the bound passes {@code stopAbove}, and answers {@link #UNKNOWN} for numbers it cannot bound.
     */
    public static long of(JsonNode n, long stopAbove) {
        return add(0, n, stopAbove);
    }

    /** A string's bound: its quotes and 6 bytes per character. */
    public static long ofString(String s) {
        return s == null ? 4 : 2 + 6L * s.length();
    }

    private static long add(long sum, JsonNode n, long stopAbove) {
        if (sum > stopAbove) {
            return sum;
        }
        switch (n.getNodeType()) {
            case STRING:
                return sum + ofString(n.textValue());
            case BOOLEAN:
            case NULL:
            case MISSING:
                return sum + 5;
            case NUMBER:
                return n.isInt() || n.isLong() || n.isDouble() || n.isFloat() || n.isShort()
                        ? sum + MAX_NUMBER_CHARS : UNKNOWN;
            case ARRAY: {
                long s = sum + 2;
                for (JsonNode child : n) {
                    s = add(s + 1, child, stopAbove);
                    if (s > stopAbove) {
                        return s;
                    }
                }
                return s;
            }
            case OBJECT: {
                long s = sum + 2;
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    s = add(s + ofString(e.getKey()) + 2, e.getValue(), stopAbove);
                    if (s > stopAbove) {
                        return s;
                    }
                }
                return s;
            }
            default:
                return UNKNOWN; // binary or POJO nodes: never in an event, but count them exactly if they come
        }
    }
}
