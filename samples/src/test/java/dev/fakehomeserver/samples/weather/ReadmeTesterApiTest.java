package dev.fakehomeserver.samples.weather;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.junit5.FakeHomeserverConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** "The tester's API in one screen" of the top README, line for line: keep the two in step. */
@ExtendWith(FakeHomeserver.class)
@FakeHomeserverConfig(registrations = "classpath:weather.yaml")
class ReadmeTesterApiTest {
    @Test
    void the_readme_screen_runs_as_written(Homeserver hs) {
        Registration reg = hs.registration("weather");
        try (WeatherBot bot = new WeatherBot(hs.url(), "test", reg.asToken(), reg.hsToken(), city -> "sunny")) {
            hs.setAppserviceUrl("weather", bot.url());

            var alice = hs.user("@alice:test");
            String room = alice.createRoom(RoomOptions.create().name("Lobby").alias("lobby")
                    .preset(RoomOptions.PUBLIC_CHAT).invite("@weatherbot:test"));
            hs.user("@bob:elsewhere").join(room);
            assertThat(hs).eventually().room(room).hasMember("@weatherbot:test");
            alice.send(room, "!weather Paris");

            assertThat(hs).eventually().room(room).timeline().containsMessageFrom("@weather_paris:test", "Paris: sunny");
            assertThat(hs).user("@weather_paris:test").isRegistered().hasDisplayName("Weather Paris");
            assertThat(hs).eventually().appservice("weather").receivedMessage("@alice:test", "!weather Paris");
            assertThat(hs).journal().hasRequest("PUT", "/rooms/*/send/*");
            assertThat(hs).eventually().appservice("weather").isIdle();       // before stopping the appservice
        }
    }
}
