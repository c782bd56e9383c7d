package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.MatrixException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Synapse's {@code validate_json_object}: a pydantic (v1) model read over a JSON object body. Every field is
 * read, errors are collected, and {@link #validate()} chooses the errcode as Synapse does: exactly one error
 * that is a missing field is {@code M_MISSING_PARAM}, exactly one value error (a {@code Literal} mismatch) is
 * {@code M_INVALID_PARAM}, anything else (a type error, {@code null} where the model has no {@code Optional},
 * several errors) is {@code M_BAD_JSON}.
 *
 * <pre>{@code
 * BodyModel m = new BodyModel(c.object());
 * String roomId = m.strictStr("room_id");
 * List<String> servers = m.optStrictStrList("servers");
 * m.validate();
 * }</pre>
 */
final class BodyModel {
    private enum Kind { MISSING, TYPE, VALUE }

    private final ObjectNode body;
    private final List<String> errors = new ArrayList<>();
    private Kind firstKind;

    BodyModel(ObjectNode body) {
        this.body = body;
    }

    /** A required {@code StrictStr}: absent is missing, anything but a string (null too) a type error. */
    String strictStr(String field) {
        JsonNode v = body.get(field);
        if (v == null) {
            error(Kind.MISSING, field, "field required");
            return null;
        }
        if (!v.isTextual()) {
            error(Kind.TYPE, field, v.isNull() ? "none is not an allowed value" : "str type expected");
            return null;
        }
        return v.asText();
    }

    /** An {@code Optional[List[StrictStr]] = None}: absent or null is null; each non-string item is an error. */
    List<String> optStrictStrList(String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            error(Kind.TYPE, field, "value is not a valid list");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (v.get(i).isTextual()) {
                out.add(v.get(i).asText());
            } else {
                error(Kind.TYPE, field + " -> " + i, "str type expected");
            }
        }
        return out;
    }

    /** A {@code Literal[...] = dflt}: absent is the default, null a type error, another value a value error. */
    String literal(String field, String dflt, String... allowed) {
        JsonNode v = body.get(field);
        if (v == null) {
            return dflt;
        }
        if (v.isNull()) {
            error(Kind.TYPE, field, "none is not an allowed value");
            return null;
        }
        if (!v.isTextual() || !Arrays.asList(allowed).contains(v.asText())) {
            error(Kind.VALUE, field, "unexpected value; permitted: " + String.join(", ", allowed));
            return null;
        }
        return v.asText();
    }

    /** An {@code Optional[StrictStr] = None}, at most {@code maxLength} characters (0: no limit). */
    String optStrictStr(String field, int maxLength) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            error(Kind.TYPE, field, "str type expected");
            return null;
        }
        if (maxLength > 0 && length(v.asText()) > maxLength) {
            error(Kind.VALUE, field, "ensure this value has at most " + maxLength + " characters");
            return null;
        }
        return v.asText();
    }

    /**
     * A required strict {@code constr(regex=..., min_length, max_length)}; pydantic v1 <em>searches</em> the
     * regex (no anchors), so {@code "[A-Z]{2}"} accepts any string with two capitals in a row.
     */
    String constrStr(String field, java.util.regex.Pattern regex, int minLength, int maxLength) {
        String v = strictStr(field);
        if (v == null) {
            return null;
        }
        if (length(v) < minLength) {
            error(Kind.VALUE, field, "ensure this value has at least " + minLength + " characters");
            return null;
        }
        if (length(v) > maxLength) {
            error(Kind.VALUE, field, "ensure this value has at most " + maxLength + " characters");
            return null;
        }
        if (!regex.matcher(v).find()) {
            error(Kind.VALUE, field, "string does not match regex \"" + regex.pattern() + "\"");
            return null;
        }
        return v;
    }

    /** A {@code StrictBool = dflt}: absent is the default, null a type error, anything but a boolean a value error. */
    boolean strictBool(String field, boolean dflt) {
        JsonNode v = body.get(field);
        if (v == null) {
            return dflt;
        }
        if (v.isNull()) {
            error(Kind.TYPE, field, "none is not an allowed value");
            return dflt;
        }
        if (!v.isBoolean()) {
            error(Kind.VALUE, field, "value is not a valid boolean");
            return dflt;
        }
        return v.asBoolean();
    }

    /** A required {@code StrictInt}: an integral JSON number (not a boolean, not 1.0). */
    long strictInt(String field) {
        JsonNode v = body.get(field);
        if (v == null) {
            error(Kind.MISSING, field, "field required");
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            error(Kind.TYPE, field, v.isNull() ? "none is not an allowed value" : "value is not a valid integer");
            return 0;
        }
        return v.asLong();
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** A required {@code Literal[...]}: absent is missing, null a type error, another value a value error. */
    String requiredLiteral(String field, String... allowed) {
        if (!body.has(field)) {
            error(Kind.MISSING, field, "field required");
            return null;
        }
        return literal(field, null, allowed);
    }

    /** A validator's {@code ValueError} on a field. */
    void valueError(String field, String message) {
        error(Kind.VALUE, field, message);
    }

    /** Throws Synapse's 400 when any field failed. */
    void validate() {
        if (errors.isEmpty()) {
            return;
        }
        String msg = errors.size() + " validation error" + (errors.size() == 1 ? "" : "s") + "\n"
                + String.join("\n", errors);
        if (errors.size() == 1 && firstKind == Kind.MISSING) {
            throw MatrixException.missingParam(msg);
        }
        if (errors.size() == 1 && firstKind == Kind.VALUE) {
            throw MatrixException.invalidParam(msg);
        }
        throw MatrixException.badJson(msg);
    }

    private void error(Kind kind, String field, String what) {
        if (errors.isEmpty()) {
            firstKind = kind;
        }
        errors.add(field + "\n  " + what);
    }
}
