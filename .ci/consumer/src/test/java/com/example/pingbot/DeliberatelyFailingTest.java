package com.example.pingbot;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.junit5.FakeHomeserverConfig;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails on purpose, run only by .ci/run (-Dconsumer.deliberatelyFailing=true), which checks that its message
 * names the appservice: the bot knows no "!weather", so the answer never comes.
 */
@ExtendWith(FakeHomeserver.class)
@FakeHomeserverConfig(registrations = "classpath:pingbot.yaml")
@EnabledIfSystemProperty(named = "consumer.deliberatelyFailing", matches = "true")
class DeliberatelyFailingTest {
    @Test
    void expects_an_answer_the_bot_never_gives(Homeserver hs) throws IOException {
        Registration reg = hs.registration("pingbot");
        try (PingBot bot = new PingBot(hs.url(), reg.asToken(), reg.hsToken())) {
            hs.setAppserviceUrl("pingbot", bot.url());
            String room = hs.user("@alice:test").createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT)
                    .invite("@pingbot:test"));
            assertThat(hs).eventually().room(room).hasMember("@pingbot:test");

            hs.user("@alice:test").send(room, "!weather Paris");

            assertThat(hs).eventually(Duration.ofMillis(500)).room(room).timeline()
                    .containsMessageFrom("@pingbot:test", "Paris: sunny");
        }
    }
}
