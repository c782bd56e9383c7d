package dev.fakehomeserver.benchmarks;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.RoomOptions;

/** How every figure builds its fake: public API only. */
final class Fakes {
    static final String AS_USER = "@bench_bot:test";

    private Fakes() {}

    /** Appservice {@code id} owning {@code @<id>_.*:test}, not rate limited, pushing to {@code url}. */
    static Registration registration(String id, String url) {
        return Registration.builder(id).url(url).users("@" + id + "_.*:test", true).rateLimited(false).build();
    }

    /**
     * A public room created by {@code @alice:test} that the appservice's user has joined, so every event in it
     * is pushed to the appservice {@code bench}.
     */
    static String interestingRoom(Homeserver hs) {
        String room = hs.user("@alice:test").createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
        hs.user(AS_USER).join(room);
        return room;
    }
}
