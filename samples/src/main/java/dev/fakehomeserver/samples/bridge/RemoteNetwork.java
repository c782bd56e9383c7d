package dev.fakehomeserver.samples.bridge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A tiny in-memory chat network in the same JVM, standing in for Slack or IRC: channels, users with names and
 * avatars, and messages that can be edited and deleted. The bridge listens to it and posts into it.
 *
 * <pre>{@code
 * RemoteNetwork net = new RemoteNetwork();
 * net.addUser("ann", "Ann Smith", avatarPng);
 * String id = net.post("general", "ann", "hello from the remote side");
 * }</pre>
 */
public final class RemoteNetwork {
    /** A user of the remote network. */
    public record RemoteUser(String id, String displayName, byte[] avatarPng) {}

    /** A message as the remote network stores it; {@code fromMatrix} marks what the bridge relayed in. */
    public record RemoteMessage(String id, String channel, String author, String text, boolean deleted,
                                boolean fromMatrix) {}

    /** Something that happened on the remote network, for the bridge. */
    public sealed interface Change permits Posted, Edited, Deleted, Renamed, Left {}

    public record Posted(RemoteMessage message) implements Change {}

    public record Edited(RemoteMessage message) implements Change {}

    public record Deleted(RemoteMessage message) implements Change {}

    public record Renamed(RemoteUser user) implements Change {}

    public record Left(String channel, String userId) implements Change {}

    private final Map<String, RemoteUser> users = new LinkedHashMap<>();
    private final Map<String, RemoteMessage> messages = new LinkedHashMap<>();
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    /** Files that came from Matrix, by remote message id. */
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    /** Channel -> the Matrix users shown as typing there. */
    private final Map<String, Set<String>> typing = new LinkedHashMap<>();

    public synchronized void addUser(String id, String displayName, byte[] avatarPng) {
        users.put(id, new RemoteUser(id, displayName, avatarPng));
    }

    public synchronized RemoteUser user(String id) {
        return users.get(id);
    }

    public void onChange(Consumer<Change> listener) {
        listeners.add(listener);
    }

    /** A remote user posts in a channel; returns the remote message id. */
    public String post(String channel, String author, String text) {
        RemoteMessage m;
        synchronized (this) {
            m = new RemoteMessage("m" + ids.incrementAndGet(), channel, author, text, false, false);
            messages.put(m.id(), m);
        }
        fire(new Posted(m));
        return m.id();
    }

    public void edit(String messageId, String newText) {
        RemoteMessage m;
        synchronized (this) {
            RemoteMessage old = messages.get(messageId);
            m = new RemoteMessage(old.id(), old.channel(), old.author(), newText, false, old.fromMatrix());
            messages.put(m.id(), m);
        }
        fire(new Edited(m));
    }

    public void delete(String messageId) {
        RemoteMessage m;
        synchronized (this) {
            RemoteMessage old = messages.get(messageId);
            m = new RemoteMessage(old.id(), old.channel(), old.author(), old.text(), true, old.fromMatrix());
            messages.put(m.id(), m);
        }
        fire(new Deleted(m));
    }

    public void rename(String userId, String displayName) {
        RemoteUser u;
        synchronized (this) {
            RemoteUser old = users.get(userId);
            u = new RemoteUser(userId, displayName, old.avatarPng());
            users.put(userId, u);
        }
        fire(new Renamed(u));
    }

    /** A remote user leaves a channel. */
    public void leave(String channel, String userId) {
        fire(new Left(channel, userId));
    }

    // ---- what the bridge relays from Matrix (no change events: the bridge must not echo itself) --------------

    /** Stores a message that came from Matrix; returns its remote id. */
    public synchronized String deliverFromMatrix(String channel, String author, String text) {
        RemoteMessage m = new RemoteMessage("m" + ids.incrementAndGet(), channel, author, text, false, true);
        messages.put(m.id(), m);
        return m.id();
    }

    /** Stores a file sent from Matrix with its message; returns the remote message id. */
    public synchronized String deliverFileFromMatrix(String channel, String author, String name, byte[] bytes) {
        String id = deliverFromMatrix(channel, author, name);
        files.put(id, bytes.clone());
        return id;
    }

    /** The file of a message that came from Matrix with one, or null. */
    public synchronized byte[] file(String messageId) {
        byte[] f = files.get(messageId);
        return f == null ? null : f.clone();
    }

    /** Shows these Matrix users as typing in the channel (an empty set: nobody). */
    public synchronized void showTyping(String channel, Set<String> matrixUsers) {
        typing.put(channel, Set.copyOf(matrixUsers));
    }

    /** Who the channel shows as typing. */
    public synchronized Set<String> typing(String channel) {
        return typing.getOrDefault(channel, Set.of());
    }

    public synchronized void editFromMatrix(String messageId, String text) {
        RemoteMessage old = messages.get(messageId);
        messages.put(messageId, new RemoteMessage(old.id(), old.channel(), old.author(), text, false, true));
    }

    public synchronized void deleteFromMatrix(String messageId) {
        RemoteMessage old = messages.get(messageId);
        messages.put(messageId, new RemoteMessage(old.id(), old.channel(), old.author(), old.text(), true, true));
    }

    /** The channel's messages, oldest first. */
    public synchronized List<RemoteMessage> messages(String channel) {
        List<RemoteMessage> out = new ArrayList<>();
        for (RemoteMessage m : messages.values()) {
            if (m.channel().equals(channel)) {
                out.add(m);
            }
        }
        return out;
    }

    private void fire(Change c) {
        for (Consumer<Change> l : listeners) {
            l.accept(c);
        }
    }
}
