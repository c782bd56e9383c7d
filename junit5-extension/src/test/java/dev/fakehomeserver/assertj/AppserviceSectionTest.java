package dev.fakehomeserver.assertj;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.events.RoomOptions;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Room, timeline and user failures about a user that belongs to an appservice show that appservice's section:
 * its url and push state, its last transactions with their answers, and what became of the last event it had to
 * see. The appservice here is a real loopback server that answers but never acts, so each expectation fails for a
 * reason the section names; messages compared with golden files as in {@link AssertionMessagesTest}.
 */
class AppserviceSectionTest {
    private final VirtualClock clock = new VirtualClock(Instant.parse("2030-01-01T00:00:00Z"));
    private LoopbackAppservice as;
    private Homeserver hs;
    private String room;

    @BeforeEach
    void start() throws IOException {
        as = new LoopbackAppservice();
        hs = as.weatherServer(clock);
        room = hs.user("@alice:test").createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
    }

    @AfterEach
    void stop() {
        hs.close();
        as.close();
    }

    @Test
    void a_bot_that_acknowledged_its_invite_but_never_joined() throws IOException {
        hs.user("@alice:test").invite(room, "@weatherbot:test");
        assertThat(hs).eventually().appservice("weather").isIdle();
        AssertionError e = catchThrowableOfType(AssertionError.class,
                () -> assertThat(hs).room(room).hasMember("@weatherbot:test"));
        AssertionMessagesTest.golden("room-member-acknowledged-invite", e.getMessage());
    }

    @Test
    void a_reply_that_never_came_because_the_push_failed() throws IOException {
        hs.user("@weather_paris:test").join(room);
        assertThat(hs).eventually().appservice("weather").isIdle();
        hs.faults().appservice("weather").failTransactions(1);
        hs.user("@alice:test").send(room, "!weather Paris");
        assertThat(hs).eventually().appservice("weather").isDown();
        AssertionError e = catchThrowableOfType(AssertionError.class,
                () -> assertThat(hs).room(room).timeline().containsMessageFrom("@weather_paris:test", "Paris: sunny"));
        AssertionMessagesTest.golden("timeline-reply-push-failed", e.getMessage());
    }

    @Test
    void a_push_refused_with_403_hints_at_the_hs_token() throws IOException {
        pushRefusedWith(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"Bad token\"}");
        AssertionError e = catchThrowableOfType(AssertionError.class,
                () -> assertThat(hs).room(room).timeline().containsExactlyMessagesFrom("@weather_paris:test", "Paris: sunny"));
        AssertionMessagesTest.golden("timeline-reply-push-403", e.getMessage());
    }

    @Test
    void a_push_refused_with_401_hints_at_the_hs_token_too() throws IOException {
        pushRefusedWith(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Unknown token\"}"); // as mautrix-go
        AssertionError e = catchThrowableOfType(AssertionError.class,
                () -> assertThat(hs).room(room).timeline().containsMessageFrom("@weather_paris:test", "Paris: sunny"));
        AssertionMessagesTest.golden("timeline-reply-push-401", e.getMessage());
    }

    /** The ghost joins, then the appservice refuses the push of alice's "!weather Paris" with this answer. */
    private void pushRefusedWith(int status, String body) {
        hs.user("@weather_paris:test").join(room);
        // The join's own push must be answered before the appservice turns to refusing, or the refused
        // transaction is the join's or the message's depending on timing.
        assertThat(hs).eventually().appservice("weather").isIdle();
        as.answer(status, body);
        hs.user("@alice:test").send(room, "!weather Paris");
        assertThat(hs).eventually().appservice("weather").isDown();
    }

    @Test
    void a_ghost_never_registered_because_the_event_did_not_interest_the_appservice() throws IOException {
        hs.user("@alice:test").send(room, "!weather Paris");
        AssertionError e = catchThrowableOfType(AssertionError.class,
                () -> assertThat(hs).user("@weather_paris:test").isRegistered());
        AssertionMessagesTest.golden("user-ghost-not-interested", e.getMessage());
    }

    @Test
    void an_appservice_without_url_is_said_to_receive_nothing() throws IOException {
        hs.setAppserviceUrl("weather", null);
        hs.user("@alice:test").invite(room, "@weatherbot:test");
        AssertionError e = catchThrowableOfType(AssertionError.class,
                () -> assertThat(hs).eventually(Duration.ofMillis(20)).room(room).hasMember("@weatherbot:test"));
        AssertionMessagesTest.golden("room-member-no-url", e.getMessage());
    }
}
