package dev.fakehomeserver.internal.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.Endpoint;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict control bodies: a field the endpoint does not know is 400 {@code M_BAD_JSON} naming it and the fields
 * there are, so a typo ({@code "memebers"}) or a field the fake does not support is never silently ignored. The
 * client API stays lenient, as Synapse is; this is the test's own API, where a silent no-op hides a broken test.
 *
 * <pre>{@code
 * r.add("POST", rooms, AuthMode.REQUIRED, Fields.only(this::create, "creator", "name", "members"));
 * }</pre>
 */
final class Fields {
    private Fields() {}

    /** {@code endpoint}, after checking that its body's top-level fields are among {@code known}. */
    static Endpoint only(Endpoint endpoint, String... known) {
        Set<String> allowed = Set.of(known);
        return call -> {
            check(call.object(), "the body of " + call.method() + " " + call.path(), allowed);
            return endpoint.handle(call);
        };
    }

    /** Checks one object's fields (a nested one too); {@code where} names it in the message. */
    static void check(JsonNode object, String where, Set<String> known) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                throw MatrixException.badJson("Unknown field '" + field + "' in " + where + "; "
                        + (known.isEmpty() ? "it takes no fields" : "known fields: " + String.join(", ",
                        new TreeSet<>(known))));
            }
        }
    }
}
