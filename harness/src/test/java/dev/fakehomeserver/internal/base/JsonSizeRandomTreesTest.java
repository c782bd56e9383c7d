package dev.fakehomeserver.internal.base;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The count that lets the append path measure an event without serialising it equals what Jackson writes, on
 * random trees of every node kind, and gives up past its limit.
 */
class JsonSizeRandomTreesTest {
    private static final String[] STRINGS = {"", "hello", "\"quoted\" \\ back", "\u0000\u0001\n\t\u001f",
        "caf\u00e9 \u20ac", "\ud83d\ude00 emoji", "\u2028\u2029", "x".repeat(300)};

    @Test
    void the_count_is_the_bytes_jackson_writes_for_any_tree_and_stopping_never_answers_less_than_the_limit() {
        Random random = new Random(22);
        for (int i = 0; i < 2_000; i++) {
            JsonNode tree = tree(random, 0);
            long exact = Json.bytes(tree).length;
            assertThat(JsonSize.of(tree)).as("%s", tree).isEqualTo(exact);
            long stop = random.nextInt((int) exact + 1);
            long stopped = JsonSize.of(tree, stop);
            assertThat(stopped).as("%s stopped above %d", tree, stop)
                    .isEqualTo(exact <= stop ? exact : stopped).isGreaterThan(exact <= stop ? -1 : stop);
        }
    }

    @Test
    void counting_stops_above_the_limit_and_a_decimal_counts_as_jackson_writes_it() {
        ObjectNode big = Json.object().put("body", "x".repeat(10_000));
        assertThat(JsonSize.of(big, 100)).isGreaterThan(100);
        ArrayNode many = Json.NODES.arrayNode();
        for (int i = 0; i < 1_000; i++) {
            many.add("x".repeat(10));
        }
        // It stops between nodes (brackets and commas are counted first): past 2,000 of the 13,001 bytes, the
        // remaining strings are not looked at.
        assertThat(JsonSize.of(many, 2_000)).isGreaterThan(2_000).isLessThan(2_100);
        assertThat(JsonSize.of(many)).isEqualTo(Json.bytes(many).length);
        ObjectNode decimal = Json.object().put("n", new BigDecimal("1E+1000"));
        assertThat(JsonSize.of(decimal, 65_536)).isEqualTo(Json.bytes(decimal).length);
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
