package dev.fakehomeserver.samples.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.samples.common.AppserviceHttp;
import dev.fakehomeserver.samples.common.MatrixClient;
import dev.fakehomeserver.samples.common.MatrixClient.Answer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small bridge between Matrix and a {@link RemoteNetwork}: one ghost {@code @chat_<user>} per remote user
 * (registered, named, with its avatar uploaded), one portal room {@code #chat_<channel>} per remote channel,
 * messages both ways, edits ({@code m.replace}) and deletions (redactions) relayed, renames synced, images sent
 * from Matrix downloaded to the remote side, Matrix typing shown there. A ghost kicked from a portal joins again
 * with its next message (a banned one is refused, and that is recorded); a remote user leaving a channel makes its
 * ghost leave the portal; an upgraded portal is followed to its replacement room.
 *
 * <p>When the homeserver refuses a call the bridge records a {@link Failure} and carries on with the next
 * message; when it rate-limits, the bridge waits the {@code retry_after_ms} it was told and tries again.
 *
 * <pre>{@code
 * ChatBridge bridge = new ChatBridge(hs.url(), "test", asToken, hsToken, network);
 * hs.setAppserviceUrl("chat", bridge.url());
 * }</pre>
 */
public final class ChatBridge implements AppserviceHttp.Listener, AutoCloseable {
    private static final int ATTEMPTS = 5;

    /** A call the homeserver refused, kept for operators (and tests) to see. */
    public record Failure(String what, int status, String errcode) {}

    private final MatrixClient matrix;
    private final RemoteNetwork network;
    private final String serverName;
    private final String botUserId;
    private final AppserviceHttp http;
    private final Map<String, String> portalByChannel = new ConcurrentHashMap<>();
    private final Map<String, String> channelByPortal = new ConcurrentHashMap<>();
    private final Map<String, String> eventByRemote = new ConcurrentHashMap<>();
    private final Map<String, String> remoteByEvent = new ConcurrentHashMap<>();
    /** Ghosts registered, and "room user" pairs joined, so that no call is made twice. */
    private final Set<String> ghosts = ConcurrentHashMap.newKeySet();
    private final Set<String> joined = ConcurrentHashMap.newKeySet();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong txn = new AtomicLong();

    public ChatBridge(String homeserverUrl, String serverName, String asToken, String hsToken, RemoteNetwork network) {
        this.matrix = new MatrixClient(homeserverUrl, asToken);
        this.network = network;
        this.serverName = serverName;
        this.botUserId = "@chatbridge:" + serverName;
        this.http = new AppserviceHttp(hsToken, this);
        network.onChange(this::onRemote);
    }

    /** Where the homeserver should push. */
    public String url() {
        return http.url();
    }

    /** Calls the homeserver refused, oldest first. */
    public List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** The Matrix room bridged to a channel, creating it (or finding it, after a restart) if needed. */
    public synchronized String portal(String channel) {
        String known = portalByChannel.get(channel);
        if (known != null) {
            return known;
        }
        Answer created = matrix.callRespectingRateLimits("POST", "/_matrix/client/v3/createRoom", null,
                Map.of("room_alias_name", "chat_" + channel, "name", "#" + channel, "preset", "public_chat"), ATTEMPTS);
        if (!created.ok() && !"M_ROOM_IN_USE".equals(created.errcode())) {
            throw new MatrixClient.MatrixCallException("create portal #" + channel, created);
        }
        String roomId = created.ok() ? created.body().path("room_id").asText()
                : matrix.require("find portal", "GET", "/_matrix/client/v3/directory/room/" // made before a restart
                        + MatrixClient.enc("#chat_" + channel + ":" + serverName), null, null).path("room_id").asText();
        portalByChannel.put(channel, roomId);
        channelByPortal.put(roomId, channel);
        return roomId;
    }

    // ---- remote -> Matrix ----------------------------------------------------------------------------------

    private void onRemote(RemoteNetwork.Change change) {
        try {
            relay(change);
        } catch (MatrixClient.MatrixCallException e) {
            failures.add(new Failure(e.getMessage(), e.answer.status(), e.answer.errcode()));
        }
    }

    private void relay(RemoteNetwork.Change change) {
        if (change instanceof RemoteNetwork.Posted p) {
            String room = portal(p.message().channel());
            String ghost = ghost(p.message().author());
            if (ghost == null || !joined(room, ghost)) {
                return; // recorded in failures()
            }
            Answer sent = call("relay message", "PUT", sendPath(room, "m.room.message"), ghost,
                    Map.of("msgtype", "m.text", "body", p.message().text()));
            if (sent != null) {
                remember(p.message().id(), sent.body().path("event_id").asText());
            }
        } else if (change instanceof RemoteNetwork.Edited e) {
            String original = eventByRemote.get(e.message().id());
            if (original != null) { // a relayed message, so its ghost exists
                call("relay edit", "PUT", sendPath(portal(e.message().channel()), "m.room.message"),
                        ghost(e.message().author()), Map.of(
                                "msgtype", "m.text", "body", "* " + e.message().text(),
                                "m.new_content", Map.of("msgtype", "m.text", "body", e.message().text()),
                                "m.relates_to", Map.of("rel_type", "m.replace", "event_id", original)));
            }
        } else if (change instanceof RemoteNetwork.Deleted d) {
            String original = eventByRemote.get(d.message().id());
            if (original != null) {
                String room = MatrixClient.enc(portal(d.message().channel()));
                call("relay deletion", "PUT", "/_matrix/client/v3/rooms/" + room + "/redact/"
                        + MatrixClient.enc(original) + "/" + nextTxn(), ghost(d.message().author()), Map.of());
            }
        } else if (change instanceof RemoteNetwork.Left l) {
            String room = portalByChannel.get(l.channel());
            String ghost = "@chat_" + l.userId() + ":" + serverName;
            if (room != null && joined.remove(room + " " + ghost)) {
                call("ghost leaves", "POST", "/_matrix/client/v3/rooms/" + MatrixClient.enc(room) + "/leave", ghost,
                        Map.of());
            }
        } else if (change instanceof RemoteNetwork.Renamed r) {
            String ghost = ghost(r.user().id());
            if (ghost == null) {
                return;
            }
            call("rename ghost", "PUT", "/_matrix/client/v3/profile/" + MatrixClient.enc(ghost) + "/displayname",
                    ghost, Map.of("displayname", r.user().displayName()));
        }
    }

    /**
     * The ghost of a remote user, registered with its name and avatar the first time it is needed; null when the
     * homeserver refused to register it (recorded, and tried again next time: never act as a user that does not
     * exist).
     */
    private String ghost(String remoteUserId) {
        String userId = "@chat_" + remoteUserId + ":" + serverName;
        if (ghosts.contains(userId)) {
            return userId;
        }
        Answer reg = matrix.callRespectingRateLimits("POST", "/_matrix/client/v3/register", null, Map.of(
                "type", "m.login.application_service", "username", "chat_" + remoteUserId, "inhibit_login", true),
                ATTEMPTS);
        if (!reg.ok() && !"M_USER_IN_USE".equals(reg.errcode())) { // in use: registered before a restart
            failures.add(new Failure("register " + userId, reg.status(), reg.errcode()));
            return null;
        }
        ghosts.add(userId);
        RemoteNetwork.RemoteUser u = network.user(remoteUserId);
        if (u != null) {
            call("ghost name", "PUT", "/_matrix/client/v3/profile/" + MatrixClient.enc(userId) + "/displayname",
                    userId, Map.of("displayname", u.displayName()));
            if (u.avatarPng() != null) {
                Answer up = matrix.upload(u.avatarPng(), "image/png", "avatar.png", userId);
                if (!up.ok()) {
                    failures.add(new Failure("upload avatar", up.status(), up.errcode()));
                } else {
                    call("ghost avatar", "PUT", "/_matrix/client/v3/profile/" + MatrixClient.enc(userId)
                            + "/avatar_url", userId, Map.of("avatar_url", up.body().path("content_uri").asText()));
                }
            }
        }
        return userId;
    }

    /** Joins a ghost to a portal once; false when the homeserver refused. */
    private boolean joined(String roomId, String userId) {
        String key = roomId + " " + userId;
        if (joined.contains(key)) {
            return true;
        }
        if (call("ghost joins", "POST", "/_matrix/client/v3/rooms/" + MatrixClient.enc(roomId) + "/join", userId,
                Map.of()) == null) {
            return false;
        }
        joined.add(key);
        return true;
    }

    // ---- Matrix -> remote ----------------------------------------------------------------------------------

    @Override
    public void onEvent(JsonNode e) {
        String roomId = e.path("room_id").asText();
        String sender = e.path("sender").asText();
        String type = e.path("type").asText();
        // Before the echo check: the bot may be the one who upgraded the room, or kicked a ghost.
        if (type.equals("m.room.member") && isOurs(e.path("state_key").asText())) {
            String membership = e.path("content").path("membership").asText();
            if (membership.equals("leave") || membership.equals("ban")) {
                // Kicked, banned or gone: join again before its next message (a ban will refuse that, recorded).
                joined.remove(roomId + " " + e.path("state_key").asText());
            }
            return;
        }
        if (type.equals("m.room.tombstone") && channelByPortal.containsKey(roomId)) {
            follow(roomId, e.path("content").path("replacement_room").asText());
            return;
        }
        if (isOurs(sender)) {
            return; // our own echo: the homeserver pushes the ghosts' events back to us
        }
        String channel = channelByPortal.get(roomId);
        if (channel == null) {
            return;
        }
        if (type.equals("m.room.message")) {
            if ("m.image".equals(e.path("content").path("msgtype").asText())) {
                relayImage(channel, sender, e);
                return;
            }
            JsonNode rel = e.path("content").path("m.relates_to");
            if ("m.replace".equals(rel.path("rel_type").asText())) {
                String remote = remoteByEvent.get(rel.path("event_id").asText());
                if (remote != null) {
                    network.editFromMatrix(remote, e.path("content").path("m.new_content").path("body").asText());
                }
                return;
            }
            String remoteId = network.deliverFromMatrix(channel, sender, e.path("content").path("body").asText());
            remember(remoteId, e.path("event_id").asText());
        } else if (type.equals("m.room.redaction")) {
            String target = e.path("redacts").asText(e.path("content").path("redacts").asText());
            String remote = remoteByEvent.get(target);
            if (remote != null) {
                network.deleteFromMatrix(remote);
            }
        }
    }

    /** An image sent from Matrix: the bridge downloads it and posts the file on the remote side. */
    private void relayImage(String channel, String sender, JsonNode e) {
        byte[] bytes = matrix.download(e.path("content").path("url").asText());
        if (bytes == null) {
            failures.add(new Failure("download image", 404, "M_NOT_FOUND"));
            return;
        }
        String remoteId = network.deliverFileFromMatrix(channel, sender, e.path("content").path("body").asText(), bytes);
        remember(remoteId, e.path("event_id").asText());
    }

    /** The portal was upgraded: the bot joins the replacement, which is the channel's portal from now on. */
    private synchronized void follow(String oldRoom, String newRoom) {
        String channel = channelByPortal.get(oldRoom);
        if (newRoom.isEmpty() || call("follow the upgrade", "POST", "/_matrix/client/v3/join/"
                + MatrixClient.enc(newRoom), null, Map.of()) == null) {
            return;
        }
        channelByPortal.remove(oldRoom);
        channelByPortal.put(newRoom, channel);
        portalByChannel.put(channel, newRoom);
    }

    /** Matrix users typing in a portal show as typing in its channel (our own ghosts are not shown back). */
    @Override
    public void onEphemeral(JsonNode edu) {
        String channel = channelByPortal.get(edu.path("room_id").asText());
        if (channel == null || !"m.typing".equals(edu.path("type").asText())) {
            return;
        }
        Set<String> typing = new HashSet<>();
        edu.path("content").path("user_ids").forEach(u -> {
            if (!isOurs(u.asText())) {
                typing.add(u.asText());
            }
        });
        network.showTyping(channel, typing);
    }

    @Override
    public boolean onAliasQuery(String alias) {
        String prefix = "#chat_";
        String suffix = ":" + serverName;
        if (!alias.startsWith(prefix) || !alias.endsWith(suffix)) {
            return false;
        }
        portal(alias.substring(prefix.length(), alias.length() - suffix.length()));
        return true;
    }

    private boolean isOurs(String userId) {
        return userId.equals(botUserId) || (userId.startsWith("@chat_") && userId.endsWith(":" + serverName));
    }

    private void remember(String remoteId, String eventId) {
        eventByRemote.put(remoteId, eventId);
        remoteByEvent.put(eventId, remoteId);
    }

    private String sendPath(String roomId, String type) {
        return "/_matrix/client/v3/rooms/" + MatrixClient.enc(roomId) + "/send/" + type + "/" + nextTxn();
    }

    private String nextTxn() {
        return "chat-" + System.nanoTime() + "-" + txn.incrementAndGet();
    }

    /** A call that may be refused: refusals are recorded, rate limits waited out. Returns null when refused. */
    private Answer call(String what, String method, String path, String userId, Object body) {
        Answer a = matrix.callRespectingRateLimits(method, path, userId, body, ATTEMPTS);
        if (!a.ok()) {
            failures.add(new Failure(what, a.status(), a.errcode()));
            return null;
        }
        return a;
    }

    @Override
    public void close() {
        http.close();
    }
}
