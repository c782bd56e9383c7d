package dev.fakehomeserver.internal.base;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one shared, thread-safe {@link ObjectMapper} and a few helpers around it. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(JsonLimits.READ).streamWriteConstraints(JsonLimits.WRITE).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /**
     * Reads request bodies: a number too large for a double ({@code 1e999999999}, {@code -1e400}) is refused
     * while parsing instead of becoming infinity, which Jackson would write back as the string
     * {@code "Infinity"}: data nobody sent, in an event, account data or a filter alike. Synapse 1.94 parses it
     * to infinity and then fails to store or answer it (500); a correct server refuses it.
     */
    private static final ObjectReader READER = MAPPER.reader().with(new FiniteNumbers());

    private Json() {}

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /**
     * Parses request bytes; anything that is not JSON becomes 400 {@code M_NOT_JSON}: not strict UTF-8, nested
     * deeper than {@link JsonLimits#MAX_INPUT_DEPTH}, or not parseable (Synapse's one message for all of them).
     */
    public static JsonNode parse(byte[] body) {
        if (!JsonLimits.isStrictUtf8(body)) {
            throw MatrixException.notJson("Content not JSON.");
        }
        try {
            JsonNode node = READER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw MatrixException.notJson("Content not JSON.");
            }
            return node;
        } catch (IOException e) {
            throw MatrixException.notJson("Content not JSON.");
        }
    }

    /** The text of the refusal of a number that is not finite. */
    public static final String NOT_FINITE = "Bad JSON value: float out of range";

    /** Nodes as Jackson makes them, but no double that is not finite. */
    private static final class FiniteNumbers extends JsonNodeFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public NumericNode numberNode(double v) {
            if (!Double.isFinite(v)) {
                throw MatrixException.badJson(NOT_FINITE);
            }
            return super.numberNode(v);
        }

        @Override
        public NumericNode numberNode(float v) {
            return numberNode((double) v);
        }
    }

    /** Writes to a generator; {@link #write(Writing)} gives the bytes. */
    public interface Writing {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * Trees written inside a larger value. Not {@code g.writeTree}: the mapper's default flushes the generator
     * after every value it writes, and a push writes several per event.
     */
    private static final ObjectWriter TREES = MAPPER.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    /**
     * What {@code writing} writes, with the mapper's settings and limits; the same bytes as {@link #bytes} for the
     * same value written as a tree, and a failure the same {@link UncheckedIOException}.
     */
    public static byte[] write(Writing writing) {
        ByteArrayBuilder out = new ByteArrayBuilder(4096);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            writing.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes a tree (null as {@code null}) where a value is due: the same bytes it has inside a larger tree. */
    public static void writeTree(JsonGenerator g, JsonNode node) throws IOException {
        TREES.writeValue(g, node);
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String string(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode readObject(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("not a JSON object: " + json, e);
        }
    }

    /**
     * Python's truthiness of a JSON value, what Synapse's {@code if value:} sees: absent, null, false, 0, "",
     * [] and {} are false.
     */
    public static boolean truthy(com.fasterxml.jackson.databind.JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isNumber()) {
            return v.asDouble() != 0;
        }
        if (v.isTextual()) {
            return !v.asText().isEmpty();
        }
        return v.size() > 0;
    }
}
