package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.model.UiaSessions;
import java.util.Set;

/**
 * The 401 answer of user-interactive auth, as Synapse's {@code _auth_dict_for_flows} builds it (one flow of one
 * stage here), and a failed stage's error merged into it, as {@code check_ui_auth} merges a {@code LoginError}.
 */
final class UiaChallenge {
    private UiaChallenge() {
    }

    /** The challenge; {@code completed} null leaves the key out, as Synapse does on a request without auth. */
    static ObjectNode of(UiaSessions.Session session, String stage, Set<String> completed) {
        ObjectNode o = Json.object();
        o.put("session", session.id());
        o.putArray("flows").addObject().putArray("stages").add(stage);
        o.putObject("params");
        if (completed != null) {
            ArrayNode done = o.putArray("completed");
            completed.forEach(done::add);
        }
        return o;
    }

    /** A 401 with the failed stage's errcode and error, and the challenge's keys beside them. */
    static MatrixException withError(MatrixException failed, ObjectNode challenge) {
        MatrixException withChallenge = new MatrixException(401, failed.errcode(), failed.getMessage());
        challenge.fields().forEachRemaining(e -> withChallenge.with(e.getKey(), e.getValue()));
        return withChallenge;
    }
}
