package dev.fakehomeserver.internal.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Namespace;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.journal.RecordedRequest;
import dev.fakehomeserver.view.EventView;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The kit's own corner of the homeserver, made through the public facade only: a user of its own (outside every
 * namespace), a fresh public room per check, names for users and aliases in the appservice's namespaces that no
 * test uses ({@code ...conformance<tag>...}), and the appservice's reactions, read from the journal.
 *
 * <p>A <em>reaction</em> in a room is a client-server request made with the appservice's as_token that names the
 * room (in its path or body): joining it, sending to it. Each check uses its own room, so counting them tells
 * whether an event was processed, and how often.
 */
final class KitRooms {
    private final Homeserver hs;
    private final Registration reg;
    private final Consumer<String> created;
    private final String tag = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    private final String kitUser;
    private final String botUser;

    KitRooms(Homeserver hs, Registration reg, Consumer<String> created) {
        this.hs = hs;
        this.reg = reg;
        this.created = created;
        this.kitUser = "@conformance-kit-" + tag + ":" + hs.serverName();
        this.botUser = reg.senderUserId(hs.serverName());
    }

    String kitUser() {
        return kitUser;
    }

    Actor kit() {
        return hs.user(kitUser);
    }

    String botUser() {
        return botUser;
    }

    /**
     * A fresh public room of the kit's user; with {@code withBot} the appservice's sender joins it (through the
     * facade, so no appservice behaviour is needed), which makes the appservice interested in everything in it.
     */
    String room(String label, boolean withBot) {
        String room = kit().createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT)
                .name("conformance " + tag + ": " + label));
        if (withBot) {
            hs.user(botUser).join(room);
        }
        created.accept("room " + room + " (" + label + (withBot ? ", " + botUser + " joined" : "") + ")");
        return room;
    }

    /** How many requests the appservice made about this room so far. */
    int reactions(String roomId) {
        String id = reg.id();
        return hs.journal().requests(r -> id.equals(r.appserviceId()) && names(r, roomId)).size();
    }

    private static boolean names(RecordedRequest r, String roomId) {
        return decoded(r.path()).contains(roomId) || r.requestBody().contains(roomId);
    }

    private static String decoded(String path) {
        try {
            return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return path;
        }
    }

    /**
     * Waits for the reactions in a room to exceed {@code before} (up to {@code timeout}), then until none has
     * come for {@code quiet}; returns the count then. Waits on the server's change signal, never on a poll.
     */
    int settle(String roomId, int before, Duration timeout, Duration quiet) {
        if (!hs.waitUntil(() -> reactions(roomId) > before, timeout)) {
            return reactions(roomId);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int n = reactions(roomId);
        while (System.nanoTime() < deadline) {
            int seen = n;
            if (!hs.waitUntil(() -> reactions(roomId) > seen, quiet)) {
                break;
            }
            n = reactions(roomId);
        }
        return n;
    }

    /** An event in the legacy "client v1" shape Synapse pushes (spec-digest §2.3). */
    static ObjectNode eventJson(EventView e, long now) {
        ObjectNode o = Json.object();
        o.set("content", Json.MAPPER.valueToTree(e.content()));
        o.put("event_id", e.eventId());
        o.put("origin_server_ts", e.originServerTs());
        o.put("room_id", e.roomId());
        o.put("sender", e.sender());
        if (e.stateKey() != null) {
            o.put("state_key", e.stateKey());
        }
        o.put("type", e.type());
        long age = Math.max(0, now - e.originServerTs());
        o.putObject("unsigned").put("age", age);
        o.put("age", age);
        o.put("user_id", e.sender());
        return o;
    }

    /** A transaction body as Synapse writes it: {@code events}, and the ephemeral keys the registration opted into. */
    String transaction(List<EventView> events) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("events");
        long now = hs.clock().millis();
        events.forEach(e -> list.add(eventJson(e, now)));
        if (reg.receiveEphemeral()) {
            body.putArray("ephemeral");
        }
        if (reg.msc2409PushEphemeral()) {
            body.putArray("de.sorunome.msc2409.ephemeral");
        }
        if (reg.receiveEphemeral() || reg.msc2409PushEphemeral()) {
            body.putArray("de.sorunome.msc2409.to_device");
        }
        return Json.string(body);
    }

    EventView event(String eventId) {
        return hs.event(eventId).orElseThrow();
    }

    /** A user id in the appservice's users namespace that no test uses, or null when the kit cannot make one. */
    String sampleUser(String what) {
        return sample(reg.users(), "@", what);
    }

    /** An alias in the appservice's aliases namespace that no test uses, or null. */
    String sampleAlias(String what) {
        return sample(reg.aliases(), "#", what);
    }

    /** A user id outside every namespace of the appservice. */
    String outsideUser(String what) {
        return "@conformance-outside-" + what + "-" + tag + ":" + hs.serverName();
    }

    /** An alias outside every namespace of the appservice. */
    String outsideAlias(String what) {
        return "#conformance-outside-" + what + "-" + tag + ":" + hs.serverName();
    }

    /**
     * The regex's literal start, then {@code conformance}, a letters-only tag (many bots accept only letters after
     * their prefix), and the server name; the first candidate the namespace matches (as Synapse matches: anchored
     * at the start only).
     */
    private String sample(List<Namespace> namespaces, String sigil, String what) {
        String letters = (what + lettersOf(tag)).toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        for (Namespace ns : namespaces) {
            String prefix = literalPrefix(ns.regex());
            if (!prefix.startsWith(sigil)) {
                prefix = sigil;
            }
            for (String c : List.of(prefix + "conformance" + letters + ":" + hs.serverName(),
                    prefix + "conformance" + letters)) {
                try {
                    if (Pattern.compile(ns.regex()).matcher(c).lookingAt()) {
                        return c;
                    }
                } catch (RuntimeException e) {
                    // a Python-only regex: try the next namespace
                }
            }
        }
        return null;
    }

    private static String lettersOf(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(Character.isDigit(c) ? (char) ('a' + (c - '0')) : c);
        }
        return sb.toString();
    }

    static String literalPrefix(String regex) {
        StringBuilder sb = new StringBuilder();
        int i = regex.startsWith("^") ? 1 : 0;
        for (; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length() && !Character.isLetterOrDigit(regex.charAt(i + 1))) {
                sb.append(regex.charAt(++i));
            } else if (".*+?[](){}|^$\\".indexOf(c) >= 0) {
                break;
            } else {
                sb.append(c);
            }
        }
        // a quantifier applies to the last literal: "ab*" has the literal prefix "a"
        if (i < regex.length() && "*?{".indexOf(regex.charAt(i)) >= 0 && sb.length() > 0) {
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

}
