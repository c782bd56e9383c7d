package dev.fakehomeserver.internal.dsl;

import dev.fakehomeserver.events.InjectionRefusedException;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.internal.base.UserIds;
import dev.fakehomeserver.internal.model.Ids;
import dev.fakehomeserver.internal.model.RoomService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Seeded scenarios: a small YAML file of users and rooms, applied through the injection DSL (hence the append
 * path). Errors name the file, the field and the line, like the registration loader's.
 *
 * <pre>
 * users:
 *   - id: "@alice:test"
 *     displayname: Alice
 * rooms:
 *   - creator: "@alice:test"
 *     alias: lobby                 # localpart or #lobby:test
 *     name: Lobby
 *     topic: Say hi
 *     preset: public_chat          # public_chat | private_chat | trusted_private_chat
 *     members: ["@bob:elsewhere"]  # joined (invited first unless the room is public)
 *     invite: ["@carol:test"]      # left invited
 *   - creator: "@alice:test"       # a room as it was: its whole history, replayed in order (a scene)
 *     id: "!kept:test"             # optional: kept, so a fixture's room id is stable
 *     aliases: ["#hall:test"]      # its local aliases
 *     published: true              # listed in the room directory
 *     events:                      # the first is its m.room.create, sent by the creator
 *       - {id: $c1, sender: "@alice:test", type: m.room.create, state_key: "", ts: 1700000000000,
 *          content: {room_version: "10", creator: "@alice:test"}}
 *       - {sender: "@alice:test", type: m.room.member, state_key: "@alice:test", content: {membership: join}}
 * </pre>
 *
 * <p>A room with {@code events} is a <em>scene</em> room, what {@link SceneWriter} exports: each event goes
 * through the append path as its sender (auth rules included, so an impossible history is refused), keeping its
 * id and timestamp when given. {@code server_name} at the top, written by the export, makes loading into a
 * server of another name fail instead of turning every local user remote.
 */
public final class SeedLoader {
    private static final Set<String> TOP = Set.of("server_name", "users", "rooms");
    private static final Set<String> USER = Set.of("id", "displayname", "avatar_url");
    private static final Set<String> ROOM = Set.of("creator", "alias", "name", "topic", "preset", "members", "invite",
            "id", "aliases", "published", "events");
    /** The fields that describe a room to create; a scene room's history says all of that itself. */
    private static final Set<String> CREATE_OPTIONS = Set.of("alias", "name", "topic", "preset", "members", "invite");
    private static final Set<String> SCENE_ONLY = Set.of("id", "aliases", "published");
    private static final Set<String> EVENT = Set.of("id", "sender", "type", "state_key", "ts", "content");
    private static final Set<String> PRESETS = Set.of("public_chat", "private_chat", "trusted_private_chat");

    /**
     * A parsed scenario, applied as many times as needed (after every reset for builder seeds).
     *
     * @param serverName the server the scene was exported from, or null (a hand-written seed)
     */
    public record Seed(String source, String serverName, List<SeedUser> users, List<SeedRoom> rooms) {}

    public record SeedUser(int line, String id, String displayname, String avatarUrl) {}

    /** A room to create with options, or, when {@code events} is not null, a scene room to replay. */
    public record SeedRoom(int line, String creator, RoomOptions options, List<String> members, String roomId,
                           List<String> aliases, boolean published, List<SeedEvent> events) {}

    /** One event of a scene room's history; a null id or ts gets a new one. */
    public record SeedEvent(int line, String id, String sender, String type, String stateKey, Map<String, Object> content,
                            Long ts) {}

    private final String source;
    private final NodeValues values = new NodeValues();

    private SeedLoader(String source) {
        this.source = source;
    }

    /**
     * SnakeYAML's safe construction of one composed node (so event content reads exactly as YAML means it),
     * except that a timestamp-like plain scalar stays a string: JSON has no dates.
     */
    private static final class NodeValues extends SafeConstructor {
        NodeValues() {
            super(new LoaderOptions());
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }

        Object value(Node n) {
            return constructObject(n);
        }
    }

    public static Seed parse(String yaml, String source) {
        return new SeedLoader(source).parse(yaml);
    }

    private Seed parse(String yaml) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new java.io.StringReader(yaml));
        } catch (YAMLException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        List<SeedUser> users = new ArrayList<>();
        List<SeedRoom> rooms = new ArrayList<>();
        if (root == null) {
            return new Seed(source, null, users, rooms);
        }
        Map<String, Node> top = mapping(root, "", TOP);
        String serverName = str(top, "", "server_name", false);
        if (top.containsKey("users")) {
            int i = 0;
            for (Node n : sequence(top.get("users"), "users")) {
                String f = "users[" + i++ + "]";
                Map<String, Node> m = mapping(n, f, USER);
                users.add(new SeedUser(line(n), userId(m, f, "id", true), str(m, f, "displayname", false),
                        str(m, f, "avatar_url", false)));
            }
        }
        if (top.containsKey("rooms")) {
            int i = 0;
            for (Node n : sequence(top.get("rooms"), "rooms")) {
                String f = "rooms[" + i++ + "]";
                Map<String, Node> m = mapping(n, f, ROOM);
                if (m.containsKey("events")) {
                    rooms.add(sceneRoom(n, f, m));
                    continue;
                }
                for (String key : SCENE_ONLY) {
                    if (m.containsKey(key)) {
                        throw error(m.get(key), f + "." + key, "only with 'events' (a room replayed from its history)");
                    }
                }
                RoomOptions o = RoomOptions.create();
                String preset = str(m, f, "preset", false);
                if (preset != null) {
                    if (!PRESETS.contains(preset)) {
                        throw error(m.get("preset"), f + ".preset", "unknown preset '" + preset
                                + "' (expected one of public_chat, private_chat, trusted_private_chat)");
                    }
                    o = o.preset(preset);
                }
                o = apply(o, str(m, f, "alias", false), o::alias);
                o = apply(o, str(m, f, "name", false), o::name);
                o = apply(o, str(m, f, "topic", false), o::topic);
                o = o.invite(userList(m, f, "invite").toArray(String[]::new));
                rooms.add(new SeedRoom(line(n), userId(m, f, "creator", true), o, userList(m, f, "members"),
                        null, List.of(), false, null));
            }
        }
        return new Seed(source, serverName, List.copyOf(users), List.copyOf(rooms));
    }

    private SeedRoom sceneRoom(Node n, String f, Map<String, Node> m) {
        for (String key : CREATE_OPTIONS) {
            if (m.containsKey(key)) {
                throw error(m.get(key), f + "." + key, "not with 'events': a replayed room's history says it");
            }
        }
        String creator = userId(m, f, "creator", true);
        String roomId = str(m, f, "id", false);
        if (roomId != null && (!roomId.startsWith("!") || roomId.indexOf(':') < 2)) {
            throw error(m.get("id"), f + ".id", "'" + roomId + "' is not a room id (expected !opaque:server)");
        }
        List<String> aliases = new ArrayList<>();
        if (m.containsKey("aliases")) {
            int i = 0;
            for (Node a : sequence(m.get("aliases"), f + ".aliases")) {
                String path = f + ".aliases[" + i++ + "]";
                if (!(a instanceof ScalarNode sa) || !sa.getValue().startsWith("#") || sa.getValue().indexOf(':') < 2) {
                    throw error(a, path, "expected a room alias (#localpart:server)");
                }
                aliases.add(sa.getValue());
            }
        }
        boolean published = false;
        if (m.containsKey("published")) {
            Object p = values.value(m.get("published"));
            if (!(p instanceof Boolean b)) {
                throw error(m.get("published"), f + ".published", "expected true or false");
            }
            published = b;
        }
        List<SeedEvent> events = new ArrayList<>();
        int i = 0;
        for (Node e : sequence(m.get("events"), f + ".events")) {
            events.add(event(e, f + ".events[" + i++ + "]"));
        }
        if (events.isEmpty() || !events.get(0).type().equals("m.room.create")
                || !creator.equals(events.get(0).sender()) || !"".equals(events.get(0).stateKey())) {
            throw error(m.get("events"), f + ".events[0]",
                    "the first event must be the room's m.room.create (state_key \"\") sent by its creator " + creator);
        }
        return new SeedRoom(line(n), creator, null, List.of(), roomId, List.copyOf(aliases), published,
                List.copyOf(events));
    }

    @SuppressWarnings("unchecked")
    private SeedEvent event(Node n, String f) {
        Map<String, Node> m = mapping(n, f, EVENT);
        String id = str(m, f, "id", false);
        if (id != null && !id.startsWith("$")) {
            throw error(m.get("id"), f + ".id", "'" + id + "' is not an event id (expected $opaque)");
        }
        Node contentNode = m.get("content");
        if (contentNode == null) {
            throw new IllegalArgumentException(source + " line " + line(n) + ", field '" + f + ".content': missing");
        }
        if (!(values.value(contentNode) instanceof Map<?, ?> content)) {
            throw error(contentNode, f + ".content", "expected a mapping (the event's JSON content)");
        }
        Long ts = null;
        if (m.containsKey("ts")) {
            Object t = values.value(m.get("ts"));
            if (!(t instanceof Integer || t instanceof Long) || ((Number) t).longValue() < 0) {
                throw error(m.get("ts"), f + ".ts", "expected origin_server_ts in milliseconds (an integer)");
            }
            ts = ((Number) t).longValue();
        }
        return new SeedEvent(line(n), id, userId(m, f, "sender", true), str(m, f, "type", true),
                str(m, f, "state_key", false), (Map<String, Object>) content, ts);
    }

    private static RoomOptions apply(RoomOptions o, String value, Function<String, RoomOptions> with) {
        return value == null ? o : with.apply(value);
    }

    /**
     * Applies a parsed seed through the actors' API; a refusal names the entry's line.
     *
     * @param serverName this server's name, which a scene's {@code server_name} must match
     * @param ids where a scene room saved without an id gets one
     */
    public static void apply(Seed seed, String serverName, Ids ids, Function<String, DslActor> actors) {
        if (seed.serverName() != null && !seed.serverName().equals(serverName)) {
            throw new IllegalArgumentException(seed.source() + ": the scene was exported from server '"
                    + seed.serverName() + "' and this server is '" + serverName + "': its local users would be"
                    + " remote here (start with --server-name " + seed.serverName() + ", or edit server_name)");
        }
        for (SeedUser u : seed.users()) {
            at(seed, u.line(), "users '" + u.id() + "'", () -> {
                DslActor a = actors.apply(u.id());
                if (u.displayname() != null) {
                    a.displayName(u.displayname());
                }
                if (u.avatarUrl() != null) {
                    a.avatarUrl(u.avatarUrl());
                }
            });
        }
        for (SeedRoom r : seed.rooms()) {
            if (r.events() != null) {
                replay(seed, r, ids, actors);
                continue;
            }
            at(seed, r.line(), "rooms entry", () -> actors.apply(r.creator())
                    .createRoom(r.options().members(r.members().toArray(String[]::new))));
        }
    }

    /** A scene room: created empty under its id (or a new one), then its events in order, each as its sender. */
    private static void replay(Seed seed, SeedRoom r, Ids ids, Function<String, DslActor> actors) {
        SeedEvent create = r.events().get(0);
        String roomId = r.roomId() != null ? r.roomId() : ids.roomId(r.creator().substring(r.creator().indexOf(':') + 1));
        Object version = create.content().get("room_version");
        at(seed, r.line(), "rooms entry " + roomId, () -> actors.apply(r.creator()).importRoom(roomId,
                version == null ? RoomService.ROOM_VERSION : String.valueOf(version), r.aliases(), r.published()));
        Map<String, DslActor> senders = new java.util.HashMap<>();
        for (SeedEvent e : r.events()) {
            at(seed, e.line(), "event " + (e.id() == null ? e.type() : e.id()), () -> senders
                    .computeIfAbsent(e.sender(), actors)
                    .importEvent(roomId, e.id(), e.type(), e.stateKey(), e.content(), e.ts()));
        }
    }

    private static void at(Seed seed, int line, String what, Runnable op) {
        try {
            op.run();
        } catch (InjectionRefusedException | IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException(seed.source() + " line " + line + ", " + what + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Node> mapping(Node n, String field, Set<String> allowed) {
        if (!(n instanceof MappingNode mn)) {
            throw error(n, field.isEmpty() ? "(top level)" : field, "expected a mapping");
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : mn.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
            String path = field.isEmpty() ? key : field + "." + key;
            if (!allowed.contains(key)) {
                throw error(t.getKeyNode(), path, "unknown field (expected one of " + new java.util.TreeSet<>(allowed) + ")");
            }
            out.put(key, t.getValueNode());
        }
        return out;
    }

    private List<Node> sequence(Node n, String field) {
        if (!(n instanceof SequenceNode sn)) {
            throw error(n, field, "expected a list");
        }
        return sn.getValue();
    }

    private String str(Map<String, Node> m, String f, String key, boolean required) {
        Node n = m.get(key);
        String path = f.isEmpty() ? key : f + "." + key;
        if (n == null) {
            if (required) {
                throw new IllegalArgumentException(source + ": " + path + ": missing");
            }
            return null;
        }
        if (!(n instanceof ScalarNode s)) {
            throw error(n, path, "expected a string");
        }
        return s.getValue();
    }

    private String userId(Map<String, Node> m, String f, String key, boolean required) {
        String v = str(m, f, key, required);
        if (v != null && !UserIds.isValid(v)) {
            throw error(m.get(key), f + "." + key, "'" + v + "' is not a user id (expected @localpart:server)");
        }
        return v;
    }

    private List<String> userList(Map<String, Node> m, String f, String key) {
        Node n = m.get(key);
        if (n == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (Node item : sequence(n, f + "." + key)) {
            String path = f + "." + key + "[" + i++ + "]";
            if (!(item instanceof ScalarNode s) || !UserIds.isValid(s.getValue())) {
                throw error(item, path, "expected a user id (@localpart:server)");
            }
            out.add(s.getValue());
        }
        return out;
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    private IllegalArgumentException error(Node n, String field, String problem) {
        return new IllegalArgumentException(source + " line " + line(n) + ", field '" + field + "': " + problem);
    }
}
