package dev.fakehomeserver.samples.weather;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.junit5.FakeHomeserverConfig;
import dev.fakehomeserver.samples.common.MatrixClient;
import java.time.Duration;
import dev.fakehomeserver.conformance.AppserviceConformance;
import dev.fakehomeserver.conformance.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the weather bot answers, and to whom. Each test is a scenario: people act through the injection DSL
 * ({@code hs.user(...)}), the homeserver pushes their events to the bot, and the test reads what the bot did
 * from the homeserver's state.
 *
 * <p>The extension starts one fake homeserver for the class with {@code weather.yaml} loaded and resets it before
 * each test; each test gets a fresh bot on a free port.
 */
@ExtendWith(FakeHomeserver.class)
@FakeHomeserverConfig(registrations = "classpath:weather.yaml")
class WeatherBotTest {
    private WeatherBot bot;

    @BeforeEach
    void start_the_bot(Homeserver hs) {
        Registration weather = hs.registration("weather");
        bot = new WeatherBot(hs.url(), hs.serverName(), weather.asToken(), weather.hsToken(), city -> "sunny");
        hs.setAppserviceUrl("weather", bot.url());
    }

    @AfterEach
    void stop_the_bot(Homeserver hs) {
        // Let the bot finish what it is doing, so that none of its late calls lands in the next test.
        hs.awaitAppserviceIdle("weather", Duration.ofSeconds(5));
        bot.close();
    }

    @Test
    void a_ghost_named_after_the_city_answers_the_weather_command(Homeserver hs) {
        // Given a public room where the bot was invited (and so joined)
        String room = publicRoomWithTheBot(hs, hs.user("@alice:test"));

        // When alice asks for the weather in Paris
        hs.user("@alice:test").send(room, "!weather paris");

        // Then @weather_paris answers, registered by the bot and named "Weather Paris"
        assertThat(hs).eventually().room(room).timeline().containsMessageFrom("@weather_paris:test", "Paris: sunny");
        assertThat(hs).user("@weather_paris:test").isRegistered().belongsToAppservice("weather")
                .hasDisplayName("Weather Paris");
        assertThat(hs).hasNoViolations();
    }

    @Test
    void the_ghost_is_brought_into_an_invite_only_room_by_the_bot(Homeserver hs) {
        // Given a private room (invite only) alice invited the bot into
        Actor alice = hs.user("@alice:test");
        String room = alice.createRoom(RoomOptions.create().preset(RoomOptions.PRIVATE_CHAT).invite("@weatherbot:test"));
        assertThat(hs).eventually().room(room).hasMember("@weatherbot:test");

        // When alice asks for the weather in Lyon
        alice.send(room, "!weather Lyon");

        // Then the ghost, who could not join on its own, was invited by the bot and answers
        assertThat(hs).eventually().room(room).timeline().containsMessageFrom("@weather_lyon:test", "Lyon: sunny");
        assertThat(hs).journal().hasRequestFrom("@weatherbot:test", "POST", "/rooms/{roomId}/invite");
    }

    @Test
    void a_user_from_another_server_gets_an_answer_too(Homeserver hs) {
        // Given bob, who lives on another server, in a room with the bot
        String room = publicRoomWithTheBot(hs, hs.user("@alice:test"));
        hs.user("@bob:elsewhere").join(room);

        // When bob asks
        hs.user("@bob:elsewhere").send(room, "!weather nice");

        // Then the bot answers him like anyone else
        assertThat(hs).eventually().room(room).timeline().containsMessageFrom("@weather_nice:test", "Nice: sunny");
    }

    @Test
    void a_second_question_about_the_same_city_reuses_the_ghost(Homeserver hs) {
        String room = publicRoomWithTheBot(hs, hs.user("@alice:test"));

        hs.user("@alice:test").send(room, "!weather paris");
        assertThat(hs).eventually().room(room).timeline().containsMessageFrom("@weather_paris:test", "Paris: sunny");
        hs.user("@alice:test").send(room, "!weather Paris");

        // Two answers, but one registration and one join: the bot remembers its ghosts
        hs.waitUntil(() -> answersIn(hs, room, "@weather_paris:test") == 2, hs.defaultWait());
        assertThat(answersIn(hs, room, "@weather_paris:test")).isEqualTo(2);
        assertThat(hs.journal().requests(r -> r.path().endsWith("/register"))).hasSize(1);
        assertThat(hs).hasNoViolations();
    }

    @Test
    void inviting_an_unknown_ghost_makes_the_homeserver_ask_the_bot_who_registers_it(Homeserver hs) {
        // Given a room of alice's
        Actor alice = hs.user("@alice:test");
        String room = alice.createRoom(RoomOptions.create().preset(RoomOptions.PRIVATE_CHAT));

        // When she invites @weather_oslo:test, who does not exist yet
        alice.invite(room, "@weather_oslo:test");

        // Then the homeserver asked the bot about the user (a user query), the bot registered it, and it joined
        assertThat(hs).eventually().room(room).hasMember("@weather_oslo:test");
        assertThat(hs).user("@weather_oslo:test").isRegistered().hasDisplayName("Weather Oslo");
        assertThat(hs.transactions().of("weather", RecordedTransaction.Kind.USER_QUERY))
                .extracting(RecordedTransaction::status).containsExactly(200);
    }

    @Test
    void looking_up_a_weather_alias_makes_the_bot_create_the_room(Homeserver hs) {
        // Given alice, with a Matrix client of her own
        MatrixClient alice = new MatrixClient(hs.url(), hs.user("@alice:test").accessToken());

        // When she looks up #weather_lyon:test, which nobody created
        MatrixClient.Answer lookup = alice.call("GET",
                "/_matrix/client/v3/directory/room/" + MatrixClient.enc("#weather_lyon:test"), null, null);

        // Then the homeserver asked the bot (an alias query), the bot created the room, and the alias resolves
        assertThat(lookup.status()).isEqualTo(200);
        assertThat(lookup.body().path("room_id").asText()).isEqualTo(hs.room("#weather_lyon:test").roomId());
        assertThat(hs).room("#weather_lyon:test").hasName("Weather in Lyon").hasMember("@weather_lyon:test");
        assertThat(hs.transactions().of("weather", RecordedTransaction.Kind.ALIAS_QUERY)).hasSize(1);

        // And alice can join it by its alias
        alice.require("join", "POST", "/_matrix/client/v3/join/" + MatrixClient.enc("#weather_lyon:test"), null,
                java.util.Map.of());
        assertThat(hs).room("#weather_lyon:test").hasMember("@alice:test");
    }

    @Test
    void an_alias_outside_the_pattern_is_not_created(Homeserver hs) {
        // The bot answers 404 for #weather_ aliases it cannot make sense of, and the lookup is a 404 too
        hs.allowViolation("M_NOT_FOUND");
        MatrixClient alice = new MatrixClient(hs.url(), hs.user("@alice:test").accessToken());

        MatrixClient.Answer lookup = alice.call("GET",
                "/_matrix/client/v3/directory/room/" + MatrixClient.enc("#weather_new-york:test"), null, null);

        assertThat(lookup.status()).isEqualTo(404);
        assertThat(hs.findRoom("#weather_new-york:test")).isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** A public room created by {@code creator}, with the bot invited and joined. */
    static String publicRoomWithTheBot(Homeserver hs, Actor creator) {
        String room = creator.createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT).invite("@weatherbot:test"));
        assertThat(hs).eventually().room(room).hasMember("@weatherbot:test");
        return room;
    }

    static long answersIn(Homeserver hs, String room, String ghost) {
        return hs.room(room).messages().stream().filter(e -> e.sender().equals(ghost)).count();
    }

    /** The conformance kit as one AssertJ assertion: every MUST and SHOULD holds (the table shows otherwise). */
    @Test
    void the_bot_conforms_to_every_must_and_should(Homeserver hs) {
        assertThat(hs).appservice("weather").conformsTo(Level.SHOULD, "!weather paris");
    }

    /** The conformance kit, one dynamic test per check; the probe is a command the bot answers. */
    @TestFactory
    Stream<DynamicTest> the_bot_keeps_its_side_of_the_appservice_contract(Homeserver hs) {
        return AppserviceConformance.of(hs, "weather").probe("!weather paris").tests();
    }
}
