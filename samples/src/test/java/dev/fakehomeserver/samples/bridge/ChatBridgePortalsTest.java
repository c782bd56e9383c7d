package dev.fakehomeserver.samples.bridge;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;
import static dev.fakehomeserver.samples.bridge.ChatBridgeRefusalsTest.startBridge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.junit5.FakeHomeserverConfig;
import dev.fakehomeserver.samples.bridge.RemoteNetwork.RemoteMessage;
import dev.fakehomeserver.samples.common.MatrixClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What happens to portals and their ghosts, and what else comes through them: a ghost kicked, banned or leaving,
 * a portal made read-only or upgraded, an image and typing from Matrix. These are the behaviours the coverage
 * report (docs/coverage.md) found the samples never made happen; each test is one of them.
 */
@ExtendWith(FakeHomeserver.class)
@FakeHomeserverConfig(registrations = "classpath:chat.yaml")
class ChatBridgePortalsTest {
    private final RemoteNetwork network = new RemoteNetwork();
    private ChatBridge bridge;

    @BeforeEach
    void start_the_bridge(Homeserver hs) {
        network.addUser("ann", "Ann Smith", null);
        bridge = startBridge(hs, network);
    }

    @AfterEach
    void stop_the_bridge(Homeserver hs) {
        assertThat(hs).eventually().appservice("chat").isIdle();   // its last answers arrived: now close it
        bridge.close();
    }

    @Test
    void a_kicked_ghost_joins_the_portal_again_with_its_next_message(Homeserver hs) {
        // Given ann's ghost in the portal of #general
        network.post("general", "ann", "hello");
        String portal = bridge.portal("general");

        // When the portal's admin (the bridge's bot, which created it) kicks her ghost
        hs.user("@chatbridge:test").kick(portal, "@chat_ann:test", "too chatty");
        assertThat(hs).eventually().appservice("chat").isIdle();   // the bridge saw the kick

        // Then her next message brings the ghost back in
        network.post("general", "ann", "I am back");
        assertThat(hs).room(portal).hasMember("@chat_ann:test").timeline()
                .containsMessageFrom("@chat_ann:test", "I am back");
        assertThat(bridge.failures()).isEmpty();
    }

    @Test
    void a_banned_ghost_stays_out_and_the_refused_join_is_recorded(Homeserver hs) {
        network.post("general", "ann", "hello");
        String portal = bridge.portal("general");
        // The bridge tries to join her ghost again, and is refused: 403 M_BAD_STATE "Cannot join user who was
        // banned", as Synapse answers it
        hs.allowViolation("M_BAD_STATE");

        hs.user("@chatbridge:test").ban(portal, "@chat_ann:test", "spam");
        assertThat(hs).eventually().appservice("chat").isIdle();
        network.post("general", "ann", "let me in");

        assertThat(hs).room(portal).doesNotHaveMember("@chat_ann:test").timeline()
                .doesNotContainMessageFrom("@chat_ann:test", "let me in");
        assertThat(bridge.failures()).containsExactly(new ChatBridge.Failure("ghost joins", 403, "M_BAD_STATE"));
    }

    @Test
    void a_remote_user_leaving_the_channel_makes_the_ghost_leave_the_portal(Homeserver hs) {
        network.post("general", "ann", "bye all");

        network.leave("general", "ann");

        assertThat(hs).room("#chat_general:test").doesNotHaveMember("@chat_ann:test");
    }

    @Test
    void a_message_in_a_portal_made_read_only_is_refused_for_its_power_level_and_recorded(Homeserver hs) {
        // Given the portal, and then its admin makes it read-only: posting needs power 50, the ghosts have 0
        network.post("general", "ann", "first");
        String portal = bridge.portal("general");
        Map<String, Object> levels = new HashMap<>(hs.room(portal).state("m.room.power_levels", "").orElseThrow()
                .content());
        levels.put("events_default", 50);
        hs.user("@chatbridge:test").setState(portal, "m.room.power_levels", "", levels);
        hs.allowViolation("M_FORBIDDEN");

        // When ann posts again
        network.post("general", "ann", "second");

        // Then the homeserver refused her ghost's message, and the bridge recorded it and carried on
        assertThat(bridge.failures()).containsExactly(new ChatBridge.Failure("relay message", 403, "M_FORBIDDEN"));
        assertThat(hs).room(portal).timeline().doesNotContainMessageFrom("@chat_ann:test", "second");
        assertThat(hs.violations()).singleElement().satisfies(v -> assertThat(v.error()).contains("permission"));
    }

    @Test
    void an_upgraded_portal_is_followed_to_its_replacement_room(Homeserver hs) {
        // Given ann's message in the portal
        network.post("general", "ann", "before");
        String old = bridge.portal("general");

        // When the portal's admin upgrades it to a new room version (here the bridge's bot, through the API)
        MatrixClient bot = new MatrixClient(hs.url(), hs.registration("chat").asToken());
        String replacement = bot.require("upgrade", "POST", "/_matrix/client/v3/rooms/" + MatrixClient.enc(old)
                + "/upgrade", null, Map.of("new_version", "10")).path("replacement_room").asText();
        assertThat(hs).eventually().appservice("chat").isIdle();   // the bridge saw the tombstone

        // Then the channel flows into the new room: ann's ghost joins it with her next message
        network.post("general", "ann", "after");
        assertThat(bridge.portal("general")).isEqualTo(replacement);
        assertThat(hs).room(replacement).hasMember("@chat_ann:test").timeline()
                .containsMessageFrom("@chat_ann:test", "after");
    }

    @Test
    void an_image_sent_from_matrix_reaches_the_remote_channel_byte_for_byte(Homeserver hs) {
        // Given alice in the portal, and an image she uploaded
        String portal = bridge.portal("general");
        hs.user("@alice:test").join(portal);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 4, 5, 6};
        MatrixClient alice = new MatrixClient(hs.url(), hs.user("@alice:test").accessToken());
        String mxc = alice.upload(png, "image/png", "cat.png", null).body().path("content_uri").asText();

        // When she sends it in the portal
        hs.user("@alice:test").image(portal, mxc, "cat.png", "image/png");

        // Then the bridge downloaded it and posted the very bytes in the channel
        await().until(() -> network.messages("general").size() == 1);
        RemoteMessage posted = network.messages("general").get(0);
        assertThat(posted.text()).isEqualTo("cat.png");
        assertThat(network.file(posted.id())).isEqualTo(png);
    }

    @Test
    void a_matrix_user_typing_in_the_portal_shows_as_typing_in_the_channel(Homeserver hs) {
        // Given alice in the portal (chat.yaml asks for ephemeral data: receive_ephemeral: true)
        String portal = bridge.portal("general");
        hs.user("@alice:test").join(portal);

        // When she starts typing, then stops
        hs.user("@alice:test").typing(portal, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> network.typing("general").contains("@alice:test"));
        hs.user("@alice:test").typing(portal, false);

        // Then the channel showed her typing, then nobody
        await().atMost(Duration.ofSeconds(5)).until(() -> network.typing("general").isEmpty());
    }
}
