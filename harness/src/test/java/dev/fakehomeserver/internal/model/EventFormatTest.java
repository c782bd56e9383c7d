package dev.fakehomeserver.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pushes write events straight to a generator ({@link EventFormat#writeAppserviceV1}) instead of building
 * {@link EventFormat#appserviceV1}'s tree and writing that: the bytes must be the same, key order included, for
 * every optional part of the shape.
 */
class EventFormatTest {
    private static final long NOW = 1_700_000_123_456L;

    @Test
    void writing_an_event_straight_gives_the_bytes_of_its_tree() {
        ObjectNode invite = Json.readObject("{\"invite_room_state\":[{\"type\":\"m.room.name\",\"content\":{}}],"
                + "\"age\":5,\"m.relations\":{\"m.thread\":{\"count\":1}}}");
        ObjectNode because = Json.readObject("{\"type\":\"m.room.redaction\",\"sender\":\"@mod:test\"}");
        List<Event> events = List.of(
                event("m.room.message", null, "{\"msgtype\":\"m.text\",\"body\":\"h\\u00e9llo \\\"q\\\" \\n\\u2603\"}",
                        null, null, null, null),
                event("m.room.member", "@bob:test", "{\"membership\":\"join\"}", "{\"membership\":\"invite\"}",
                        "@alice:test", null, null),
                event("m.room.member", "@carol:test", "{\"membership\":\"invite\"}", null, null, invite, null),
                event("m.room.redaction", null, "{\"redacts\":\"$gone\",\"reason\":\"spam\"}", null, null, null,
                        null),
                event("m.room.redaction", null, "{\"reason\":\"no target\"}", null, null, null, null),
                event("m.room.message", null, "{}", null, null, null, because),
                event("m.custom", "", null, null, null, null, null),
                new Event("$x", "!r:test", null, null, null, Json.object(), NOW + 10, 1, null, null, null, null,
                        null));
        for (Event e : events) {
            String tree = new String(Json.bytes(EventFormat.appserviceV1(e, NOW)), StandardCharsets.UTF_8);
            String straight = new String(Json.write(g -> EventFormat.writeAppserviceV1(e, NOW, g)),
                    StandardCharsets.UTF_8);
            assertThat(straight).as("event of type %s", e.type()).isEqualTo(tree);
        }
    }

    private static Event event(String type, String stateKey, String content, String prevContent, String prevSender,
                               ObjectNode unsignedExtra, ObjectNode redactedBecause) {
        return new Event("$e" + type.length(), "!room:test", "@alice:test", type, stateKey,
                content == null ? null : Json.readObject(content), NOW - 1_000, 7,
                prevContent == null ? null : Json.readObject(prevContent), prevSender, unsignedExtra, "txn1",
                redactedBecause);
    }
}
