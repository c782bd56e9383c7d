package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Synapse 1.94's default push rules for a user ({@code default-push-rules.json}: the answer of a real Synapse to
 * {@code GET /pushrules/} with the user id put back as placeholders). Apart from {@link PushRules} (the
 * operations) because {@link SyncData} creates a user's rule set on first use and the operations need SyncData.
 */
final class DefaultPushRules {
    private static final String DEFAULTS = load();

    private static String load() {
        try (InputStream in = DefaultPushRules.class.getResourceAsStream("default-push-rules.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode of(String userId) {
        String localpart = userId.substring(1, userId.indexOf(':'));
        // The placeholders are JSON string contents: escape what a user id could hold that JSON treats specially.
        String json = DEFAULTS.replace("${user_id}", escape(userId)).replace("${localpart}", escape(localpart));
        return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private DefaultPushRules() {
    }
}
