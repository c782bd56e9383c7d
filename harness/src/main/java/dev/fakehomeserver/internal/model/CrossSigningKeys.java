package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * Each user's cross-signing keys ({@code master}, {@code self_signing}, {@code user_signing}), stored as uploaded
 * and handed out by {@code /keys/query}; no signature is verified. Guarded by the model's lock.
 */
public final class CrossSigningKeys {
    private final Map<String, Map<String, ObjectNode>> keys = new HashMap<>();

    public void put(String userId, String usage, ObjectNode key) {
        keys.computeIfAbsent(userId, k -> new HashMap<>()).put(usage, key.deepCopy());
    }

    /** The key of that usage, or null. */
    public ObjectNode get(String userId, String usage) {
        Map<String, ObjectNode> mine = keys.get(userId);
        return mine == null ? null : mine.get(usage);
    }

    void reset() {
        keys.clear();
    }
}
