package dev.fakehomeserver.internal.dsl;

import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.InjectionRefusedException;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.internal.base.UserIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

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
 * </pre>
 */
public final class SeedLoader {
    private static final Set<String> TOP = Set.of("users", "rooms");
    private static final Set<String> USER = Set.of("id", "displayname", "avatar_url");
    private static final Set<String> ROOM = Set.of("creator", "alias", "name", "topic", "preset", "members", "invite");
    private static final Set<String> PRESETS = Set.of("public_chat", "private_chat", "trusted_private_chat");

    /** A parsed scenario, applied as many times as needed (after every reset for builder seeds). */
    public record Seed(String source, List<SeedUser> users, List<SeedRoom> rooms) {}

    public record SeedUser(int line, String id, String displayname, String avatarUrl) {}

    public record SeedRoom(int line, String creator, RoomOptions options, List<String> members) {}

    private final String source;

    private SeedLoader(String source) {
        this.source = source;
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
            return new Seed(source, users, rooms);
        }
        Map<String, Node> top = mapping(root, "", TOP);
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
                rooms.add(new SeedRoom(line(n), userId(m, f, "creator", true), o, userList(m, f, "members")));
            }
        }
        return new Seed(source, List.copyOf(users), List.copyOf(rooms));
    }

    private static RoomOptions apply(RoomOptions o, String value, Function<String, RoomOptions> with) {
        return value == null ? o : with.apply(value);
    }

    /** Applies a parsed seed through the actors' API; a refusal names the entry's line. */
    public static void apply(Seed seed, Function<String, Actor> actors) {
        for (SeedUser u : seed.users()) {
            at(seed, u.line(), "users '" + u.id() + "'", () -> {
                Actor a = actors.apply(u.id());
                if (u.displayname() != null) {
                    a.displayName(u.displayname());
                }
                if (u.avatarUrl() != null) {
                    a.avatarUrl(u.avatarUrl());
                }
            });
        }
        for (SeedRoom r : seed.rooms()) {
            at(seed, r.line(), "rooms entry", () -> actors.apply(r.creator())
                    .createRoom(r.options().members(r.members().toArray(String[]::new))));
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
        if (n == null) {
            if (required) {
                throw new IllegalArgumentException(source + ": " + f + "." + key + ": missing");
            }
            return null;
        }
        if (!(n instanceof ScalarNode s)) {
            throw error(n, f + "." + key, "expected a string");
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
