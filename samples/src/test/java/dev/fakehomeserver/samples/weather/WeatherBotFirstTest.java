package dev.fakehomeserver.samples.weather;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.junit5.FakeHomeserverConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The first test of the top README, word for word: keep the two in step. */
@ExtendWith(FakeHomeserver.class)
@FakeHomeserverConfig(registrations = "classpath:weather.yaml")
class WeatherBotFirstTest {
    @Test
    void answers_the_weather_in_the_room(Homeserver hs) {
        Registration reg = hs.registration("weather");
        try (WeatherBot bot = new WeatherBot(hs.url(), "test", reg.asToken(), reg.hsToken(), city -> "sunny")) {
            hs.setAppserviceUrl("weather", bot.url());
            Actor alice = hs.user("@alice:test");
            String room = alice.createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT).invite("@weatherbot:test"));
            assertThat(hs).eventually().room(room).hasMember("@weatherbot:test");

            alice.send(room, "!weather paris");

            assertThat(hs).eventually().room(room).timeline().containsMessageFrom("@weather_paris:test", "Paris: sunny");
            assertThat(hs).user("@weather_paris:test").isRegistered().hasDisplayName("Weather Paris");
            assertThat(hs).eventually().appservice("weather").isIdle();   // the bot's last answers arrived: close it
        }
    }
}
