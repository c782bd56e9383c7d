package dev.fakehomeserver.internal.base;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bound that lets the append path skip serialising an event to measure it is never below the real size. */
class JsonSizeBoundTest {
    private static final String[] STRINGS = {"", "hello", "\"quoted\" \\ back", "\u0000\u0001\n\t\u001f",
        "caf\u00e9 \u20ac", "\ud83d\ude00 emoji", "\u2028\u2029", "x".repeat(300)};

    @Test
    void the_bound_is_at_least_the_bytes_jackson_writes_for_any_tree() {
        Random random = new Random(22);
        for (int i = 0; i < 2_000; i++) {
            JsonNode tree = tree(random, 0);
            long exact = Json.bytes(tree).length;
            assertThat(JsonSizeBound.of(tree, Long.MAX_VALUE - 1)).as("%s", tree).isGreaterThanOrEqualTo(exact);
        }
    }

    @Test
    void counting_stops_above_the_limit_and_unbounded_numbers_say_unknown() {
        ObjectNode big = Json.object().put("body", "x".repeat(10_000));
        assertThat(JsonSizeBound.of(big, 100)).isGreaterThan(100);
        ObjectNode decimal = Json.object().put("n", new BigDecimal("1E+1000"));
        assertThat(JsonSizeBound.of(decimal, 65_536)).isEqualTo(JsonSizeBound.UNKNOWN);
    }

    private static JsonNode tree(Random r, int depth) {
        int kind = depth > 3 ? r.nextInt(5) : r.nextInt(7);
        return switch (kind) {
            case 0 -> Json.NODES.textNode(STRINGS[r.nextInt(STRINGS.length)]);
            case 1 -> Json.NODES.numberNode(r.nextLong());
            case 2 -> Json.NODES.numberNode(r.nextBoolean() ? -Double.MAX_VALUE : r.nextDouble() * 1e-300);
            case 3 -> Json.NODES.booleanNode(r.nextBoolean());
            case 4 -> Json.NODES.nullNode();
            case 5 -> {
                ArrayNode a = Json.NODES.arrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(tree(r, depth + 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = Json.object();
                for (int i = r.nextInt(4); i > 0; i--) {
                    o.set(STRINGS[r.nextInt(STRINGS.length)] + i, tree(r, depth + 1));
                }
                yield o;
            }
        };
    }
}
