package dev.fakehomeserver.internal.dsl;

import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.RoomView;
import dev.fakehomeserver.view.UserView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes the server's users and rooms, each room with its whole history, as a scene: a seed file that
 * {@link SeedLoader} reads back (so {@code --scene}, {@code POST /_fakehs/v1/scene} and the builder's seeds load
 * it), replaying every event through the append path with the id and timestamp it had.
 *
 * <p>Written from the public views only, so what it saves is what a test can see. Left out, on purpose: devices
 * and access tokens (secrets), typing, receipts and presence (ephemeral), account data, media, and the
 * registrations (they come from their own files). Each event is one YAML flow line, so a scene reads like the
 * room's history and a diff of two scenes like what happened in between.
 */
public final class SceneWriter {
    private static final Yaml FLOW = flowYaml();

    private SceneWriter() {}

    public static String write(String serverName, Instant at, List<UserView> users, List<RoomView> rooms) {
        StringBuilder out = new StringBuilder();
        out.append("# A fake-homeserver scene: users, and rooms with their whole history, exported from server '")
                .append(serverName).append("' at ").append(at).append(".\n");
        out.append("# Load it with --scene FILE, POST /_fakehs/v1/scene, Homeserver.builder().seed(path) or"
                + " hs.seed(path).\n");
        out.append("server_name: ").append(scalar(serverName)).append('\n');
        out.append(users.isEmpty() ? "users: []\n" : "users:\n");
        for (UserView u : users) {
            out.append("  - id: ").append(scalar(u.userId())).append('\n');
            if (u.displayName() != null) {
                out.append("    displayname: ").append(scalar(u.displayName())).append('\n');
            }
            if (u.avatarUrl() != null) {
                out.append("    avatar_url: ").append(scalar(u.avatarUrl())).append('\n');
            }
        }
        out.append(rooms.isEmpty() ? "rooms: []\n" : "rooms:\n");
        for (RoomView r : rooms) {
            out.append("  - id: ").append(scalar(r.roomId())).append('\n');
            out.append("    creator: ").append(scalar(r.timeline().get(0).sender())).append('\n');
            if (!r.aliases().isEmpty()) {
                out.append("    aliases: ").append(scalar(r.aliases())).append('\n');
            }
            if (r.published()) {
                out.append("    published: true\n");
            }
            out.append("    events:\n");
            for (EventView e : r.timeline()) {
                out.append("      - ").append(scalar(event(e))).append('\n');
            }
        }
        return out.toString();
    }

    /** Field order as a person reads an event: who, what, when, then the content. */
    private static Map<String, Object> event(EventView e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.eventId());
        m.put("sender", e.sender());
        m.put("type", e.type());
        if (e.stateKey() != null) {
            m.put("state_key", e.stateKey());
        }
        m.put("ts", e.originServerTs());
        // Plain maps, lists and scalars (the views' frozen collections would carry Java class tags).
        m.put("content", Json.MAPPER.convertValue(e.content(), LinkedHashMap.class));
        return m;
    }

    /** One value in YAML flow style on one line, quoted wherever YAML would read it as something else. */
    private static String scalar(Object value) {
        return FLOW.dump(value).strip();
    }

    private static Yaml flowYaml() {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
        o.setWidth(Integer.MAX_VALUE);
        o.setSplitLines(false);
        o.setAllowUnicode(true);
        return new Yaml(o);
    }
}
