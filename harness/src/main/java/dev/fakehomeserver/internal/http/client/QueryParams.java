package dev.fakehomeserver.internal.http.client;

import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.MatrixException;

/** Typed query parameters with Synapse's {@code parse_integer} / {@code parse_string} errors. */
public final class QueryParams {
    private QueryParams() {}

    /** A non-negative integer, or {@code dflt} when absent: 400 {@code M_INVALID_PARAM} otherwise. */
    public static int nonNegativeInt(Call c, String name, int dflt) {
        String v = c.query(name);
        if (v == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < 0) {
                throw MatrixException.invalidParam("Query parameter \"" + name + "\" must be a non-negative integer");
            }
            return i;
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Query parameter \"" + name + "\" must be an integer");
        }
    }

    /** A required integer: 400 {@code M_MISSING_PARAM} when absent. */
    static int requiredInt(Call c, String name) {
        if (c.query(name) == null) {
            throw MatrixException.missingParam("Missing integer query parameter \"" + name + "\"");
        }
        return nonNegativeInt(c, name, 0);
    }

    /** One of a few allowed values, or {@code dflt} when absent. */
    static String oneOf(Call c, String name, String dflt, String... allowed) {
        String v = c.query(name);
        if (v == null) {
            return dflt;
        }
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw MatrixException.invalidParam("Query parameter \"" + name + "\" must be one of ["
                + String.join(", ", allowed) + "]");
    }
}
