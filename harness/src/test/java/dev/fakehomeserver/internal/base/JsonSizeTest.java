package dev.fakehomeserver.internal.base;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link JsonSize#of} counts exactly what {@link Json#bytes} writes, for the bodies the append path measures. */
class JsonSizeTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", "[]", "\"\"", "0", "-12", "true", "false", "null", "9007199254740991", "-9007199254740991",
        "123456789012345678901234567890", "1.5", "-0.25", "1.0E10", "3.141592653589793",
        "{\"body\":\"hello\",\"msgtype\":\"m.text\"}",
        "{\"a\":{\"b\":[1,2,{\"c\":null}],\"d\":[]},\"e\":{}}",
        "\"quote \\\" backslash \\\\ slash / tab \\t nl \\n cr \\r bs \\b ff \\f\"",
        "\"ctl \\u0001 \\u001f del \\u007f\"",
        "\"caf\u00e9 \u20ac \u4e2d\u6587 \ud83d\ude00 emoji\"",
        "{\"k\u00e9y \\\"q\\\"\":[\"\\u0000\",\"\u07ff\u0800\uffff\"]}"
    })
    void counts_what_jackson_writes(String json) {
        JsonNode n = Json.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(JsonSize.of(n)).as(json).isEqualTo(Json.bytes(n).length);
    }

    @Test
    void counts_a_built_tree_with_every_kind_of_number() {
        var o = Json.object();
        o.put("int", 7).put("long", 1L << 40).put("double", 0.1).put("float", 2.5f)
                .put("big", new java.math.BigInteger("98765432109876543210")).put("text", "x\u00ff")
                .put("bool", true).putNull("nothing");
        o.putArray("list").add(1).add("two").addObject().put("three", 3);
        assertThat(JsonSize.of(o)).isEqualTo(Json.bytes(o).length);
    }

    @Test
    void visits_each_child_of_an_object_and_an_array_in_order_and_none_of_a_value() {
        List<String> seen = new ArrayList<>();
        JsonSize.eachChild(parse("{\"a\":1,\"b\":[2],\"c\":\"3\"}"), c -> seen.add(c.toString()));
        JsonSize.eachChild(parse("[4,{\"x\":5}]"), c -> seen.add(c.toString()));
        JsonSize.eachChild(parse("6"), c -> seen.add(c.toString()));
        assertThat(seen).containsExactly("1", "[2]", "\"3\"", "4", "{\"x\":5}");
    }

    private static JsonNode parse(String json) {
        return Json.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
