package com.example.pingbot;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.junit5.FakeHomeserverConfig;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a new user writes first: their own appservice, the fake homeserver around it, one scenario. */
@ExtendWith(FakeHomeserver.class)
@FakeHomeserverConfig(registrations = "classpath:pingbot.yaml")
class PingBotTest {
    private PingBot bot;

    @BeforeEach
    void start_the_bot(Homeserver hs) throws IOException {
        Registration reg = hs.registration("pingbot");
        bot = new PingBot(hs.url(), reg.asToken(), reg.hsToken());
        hs.setAppserviceUrl("pingbot", bot.url());
    }

    @AfterEach
    void stop_the_bot(Homeserver hs) {
        assertThat(hs).eventually().appservice("pingbot").isIdle();   // its last answers have reached the fake
        bot.close();
    }

    @Test
    void answers_ping_with_pong(Homeserver hs) {
        String room = hs.user("@alice:test").createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT)
                .invite("@pingbot:test"));
        assertThat(hs).eventually().room(room).hasMember("@pingbot:test");

        hs.user("@alice:test").send(room, "!ping");

        assertThat(hs).eventually().room(room).timeline().containsMessagesInOrder("!ping", "pong");
    }
}
