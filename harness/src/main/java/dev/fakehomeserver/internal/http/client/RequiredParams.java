package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.internal.base.MatrixException;
import java.util.ArrayList;
import java.util.List;

/**
 * Synapse's {@code assert_params_in_dict}: every key it wants that the body lacks, named at once in one 400
 * {@code M_MISSING_PARAM} "Missing params: ['a', 'b']" (Python's repr of the list of absent keys). A key that is
 * present with a null value counts as present, as Python's {@code in} does.
 *
 * <pre>{@code
 * RequiredParams.check(body, "client_secret", "sid");
 * }</pre>
 */
final class RequiredParams {
    private RequiredParams() {}

    static void check(JsonNode dict, String... keys) {
        List<String> absent = new ArrayList<>();
        for (String key : keys) {
            if (!dict.has(key)) {
                absent.add("'" + key + "'");
            }
        }
        if (!absent.isEmpty()) {
            throw MatrixException.missingParam("Missing params: " + absent);
        }
    }
}
