package dev.fakehomeserver.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Actor#createRoom(RoomOptions)} takes: the usual {@code POST /createRoom} options. Immutable: every
 * method returns a copy.
 *
 * <pre>{@code
 * String room = alice.createRoom(RoomOptions.create()
 *         .name("Weather in Paris").topic("daily").alias("weather_paris")
 *         .preset(RoomOptions.PUBLIC_CHAT).invite("@bob:test"));
 * }</pre>
 */
public final class RoomOptions {
    /** Anyone may join; what {@code visibility: public} implies. */
    public static final String PUBLIC_CHAT = "public_chat";
    /** Invite only (the default). */
    public static final String PRIVATE_CHAT = "private_chat";
    /** Invite only, and invitees get the creator's power level. */
    public static final String TRUSTED_PRIVATE_CHAT = "trusted_private_chat";

    private final String name;
    private final String topic;
    private final String preset;
    private final String aliasLocalpart;
    private final List<String> invite;
    private final boolean direct;
    private final boolean publishInDirectory;
    private final List<String> members;

    private RoomOptions(String name, String topic, String preset, String aliasLocalpart, List<String> invite,
                        boolean direct, boolean publishInDirectory, List<String> members) {
        this.members = List.copyOf(members);
        this.name = name;
        this.topic = topic;
        this.preset = preset;
        this.aliasLocalpart = aliasLocalpart;
        this.invite = List.copyOf(invite);
        this.direct = direct;
        this.publishInDirectory = publishInDirectory;
    }

    /** No name, no topic, no alias, {@link #PRIVATE_CHAT}, nobody invited. */
    public static RoomOptions create() {
        return new RoomOptions(null, null, null, null, List.of(), false, false, List.of());
    }

    /** The {@code m.room.name}. */
    public RoomOptions name(String newName) {
        return new RoomOptions(newName, topic, preset, aliasLocalpart, invite, direct, publishInDirectory, members);
    }

    /** The {@code m.room.topic}. */
    public RoomOptions topic(String newTopic) {
        return new RoomOptions(name, newTopic, preset, aliasLocalpart, invite, direct, publishInDirectory, members);
    }

    /** {@link #PUBLIC_CHAT}, {@link #PRIVATE_CHAT} or {@link #TRUSTED_PRIVATE_CHAT}. */
    public RoomOptions preset(String newPreset) {
        return new RoomOptions(name, topic, Objects.requireNonNull(newPreset), aliasLocalpart, invite, direct,
                publishInDirectory, members);
    }

    /**
     * A local alias: its localpart ({@code weather_paris}) or the full alias ({@code #weather_paris:test}, whose
     * server part must be this server's).
     */
    public RoomOptions alias(String aliasOrLocalpart) {
        String local = aliasOrLocalpart;
        if (local.startsWith("#")) {
            int colon = local.indexOf(':');
            local = local.substring(1, colon < 0 ? local.length() : colon);
        }
        return new RoomOptions(name, topic, preset, local, invite, direct, publishInDirectory, members);
    }

    /** Users to invite right after creation. */
    public RoomOptions invite(String... userIds) {
        List<String> all = new ArrayList<>(invite);
        all.addAll(List.of(userIds));
        return new RoomOptions(name, topic, preset, aliasLocalpart, all, direct, publishInDirectory, members);
    }

    /**
     * Users who join right after creation, in this order: each is invited first unless the room is public or
     * they are in {@link #invite}, then joins, through the membership rules (unknown users are created first).
     *
     * <pre>{@code
     * alice.createRoom(RoomOptions.create().name("Team").members("@bob:test", "@carol:elsewhere"));
     * }</pre>
     */
    public RoomOptions members(String... userIds) {
        List<String> all = new ArrayList<>(members);
        all.addAll(List.of(userIds));
        return new RoomOptions(name, topic, preset, aliasLocalpart, invite, direct, publishInDirectory, all);
    }

    /** Marks the invites as a direct chat ({@code is_direct}). */
    public RoomOptions direct(boolean isDirect) {
        return new RoomOptions(name, topic, preset, aliasLocalpart, invite, isDirect, publishInDirectory, members);
    }

    /** Publishes the room in the public room directory ({@code visibility: public}). */
    public RoomOptions publish(boolean inDirectory) {
        return new RoomOptions(name, topic, preset, aliasLocalpart, invite, direct, inDirectory, members);
    }

    /** The name, or null. */
    public String name() { return name; }
    /** The topic, or null. */
    public String topic() { return topic; }
    /** The preset, or null for the default. */
    public String preset() { return preset; }
    /** The alias localpart, or null. */
    public String aliasLocalpart() { return aliasLocalpart; }
    /** The users to invite. */
    public List<String> invite() { return invite; }
    /** Whether the invites are direct. */
    public boolean direct() { return direct; }
    /** Whether the room is published in the directory. */
    public boolean publish() { return publishInDirectory; }
    /** The users who join after creation. */
    public List<String> members() { return members; }
}
