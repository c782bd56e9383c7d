package dev.fakehomeserver.samples.bridge;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.RateLimit;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.faults.FaultRule;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.junit5.FakeHomeserverConfig;
import dev.fakehomeserver.samples.bridge.ChatBridge.Failure;
import dev.fakehomeserver.view.EventView;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bridge when the homeserver says no: a 429 is waited out and retried, any other refusal is recorded in
 * {@link ChatBridge#failures()} and the bridge carries on. The refusals are injected with {@code hs.faults()};
 * injected failures are not violations, so these tests need no allowance.
 */
@ExtendWith(FakeHomeserver.class)
@FakeHomeserverConfig(registrations = "classpath:chat.yaml")
class ChatBridgeRefusalsTest {
    private final RemoteNetwork network = new RemoteNetwork();
    private ChatBridge bridge;

    @BeforeEach
    void start_the_bridge(Homeserver hs) {
        network.addUser("ann", "Ann Smith", null);
        bridge = startBridge(hs, network);
    }

    @AfterEach
    void stop_the_bridge(Homeserver hs) {
        // Let the bridge finish what it is doing, so that none of its late calls lands in the next test.
        hs.awaitAppserviceIdle("chat", Duration.ofSeconds(5));
        bridge.close();
    }

    @Test
    void a_rate_limited_message_is_sent_again_after_the_wait_the_homeserver_asked_for(Homeserver hs) {
        // Given a homeserver that answers ann's ghost's next two sends with 429, retry after 20 ms
        FaultRule limit = hs.faults().on("PUT", "/rooms/{roomId}/send/*").forUser("@chat_ann:test").times(2)
                .respondLimitExceeded(20);

        // When ann posts
        network.post("general", "ann", "patience");

        // Then the bridge waited twice and the third try went through: nothing lost, nothing recorded as failed
        assertThat(limit.hits()).isEqualTo(2);
        assertThat(hs).room("#chat_general:test").timeline().containsMessageFrom("@chat_ann:test", "patience");
        assertThat(bridge.failures()).isEmpty();
    }

    @Test
    void a_refused_message_is_recorded_and_the_next_one_goes_through(Homeserver hs) {
        // Given a homeserver that refuses ann's ghost's next send
        hs.faults().on("PUT", "/rooms/{roomId}/send/*").forUser("@chat_ann:test").once()
                .respond(403, "M_FORBIDDEN", "You are muted");

        // When ann posts twice
        network.post("general", "ann", "first");
        network.post("general", "ann", "second");

        // Then the first is recorded as a failure, and the second reached Matrix
        assertThat(bridge.failures()).containsExactly(new Failure("relay message", 403, "M_FORBIDDEN"));
        assertThat(hs.room("#chat_general:test").messages()).extracting(EventView::body).containsExactly("second");
    }

    @Test
    void a_ghost_whose_registration_failed_is_registered_on_its_next_message(Homeserver hs) {
        // Given a homeserver that fails the next registration
        hs.faults().on("POST", "/register").once().respond(500);

        // When ann posts twice
        network.post("general", "ann", "first");
        network.post("general", "ann", "second");

        // Then the first message was dropped with the failed registration recorded (the bridge never acts as a
        // user that does not exist), and the second registered the ghost and got through
        assertThat(bridge.failures()).containsExactly(new Failure("register @chat_ann:test", 500, "M_UNKNOWN"));
        assertThat(hs).user("@chat_ann:test").isRegistered().hasDisplayName("Ann Smith");
        assertThat(hs).room("#chat_general:test").timeline().containsMessageFrom("@chat_ann:test", "second");
    }

    @Test
    void a_rate_limited_portal_creation_is_retried_too(Homeserver hs) {
        hs.faults().on("POST", "/createRoom").once().respondLimitExceeded(10);

        network.post("random", "ann", "a new channel");

        assertThat(hs).room("#chat_random:test").timeline().containsMessageFrom("@chat_ann:test", "a new channel");
        assertThat(bridge.failures()).isEmpty();
    }

    @Test
    void a_burst_under_the_homeservers_own_rate_limiter_arrives_whole_and_in_order() {
        // A server of its own, with the message limiter on (it is off by default): one message, then one every
        // half second for each ghost, since chat.yaml says rate_limited: true. And a remote network of its own.
        RemoteNetwork remote = new RemoteNetwork();
        remote.addUser("ann", "Ann Smith", null);
        try (Homeserver limited = Homeserver.builder().registrationResource("chat.yaml")
                .rateLimiting(RateLimit.of(2, 1)).start();
             ChatBridge limitedBridge = startBridge(limited, remote)) {

            remote.post("general", "ann", "one");
            remote.post("general", "ann", "two");
            remote.post("general", "ann", "three");

            assertThat(limited.room("#chat_general:test").messages()).extracting(EventView::body)
                    .containsExactly("one", "two", "three");
            assertThat(limitedBridge.failures()).isEmpty();
            assertThat(limited.violations()).isNotEmpty().allMatch(v -> v.errcode().equals("M_LIMIT_EXCEEDED"));
        }
    }

    static ChatBridge startBridge(Homeserver hs, RemoteNetwork network) {
        Registration chat = hs.registration("chat");
        ChatBridge started = new ChatBridge(hs.url(), hs.serverName(), chat.asToken(), chat.hsToken(), network);
        hs.setAppserviceUrl("chat", started.url());
        return started;
    }
}
