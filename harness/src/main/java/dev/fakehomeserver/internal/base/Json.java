package dev.fakehomeserver.internal.base;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw MatrixException.notJson("Content not JSON.");
            }
            return node;
        } catch (IOException e) {
            throw MatrixException.notJson("Content not JSON.");
        }
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
}
