package dev.fakehomeserver.samples.bridge;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.junit5.FakeHomeserverConfig;
import dev.fakehomeserver.samples.bridge.RemoteNetwork.RemoteMessage;
import dev.fakehomeserver.samples.common.MatrixClient;
import dev.fakehomeserver.view.EventView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.time.Duration;
import dev.fakehomeserver.conformance.AppserviceConformance;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chat bridge relaying between Matrix and an in-memory remote network, both ways. On the remote side the
 * test acts through {@link RemoteNetwork} (ann posts in #general); on the Matrix side through the injection DSL
 * (alice sends in the portal room). Relaying to Matrix happens while {@code network.post(...)} runs; relaying to
 * the remote network happens when the homeserver pushes alice's event, so those checks wait.
 */
@ExtendWith(FakeHomeserver.class)
@FakeHomeserverConfig(registrations = "classpath:chat.yaml")
class ChatBridgeTest {
    /** Not a real PNG: the bridge and the homeserver only move the bytes around. */
    static final byte[] ANN_AVATAR = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

    private final RemoteNetwork network = new RemoteNetwork();
    private ChatBridge bridge;

    @BeforeEach
    void start_the_bridge(Homeserver hs) {
        network.addUser("ann", "Ann Smith", ANN_AVATAR);
        Registration chat = hs.registration("chat");
        bridge = new ChatBridge(hs.url(), hs.serverName(), chat.asToken(), chat.hsToken(), network);
        hs.setAppserviceUrl("chat", bridge.url());
    }

    @AfterEach
    void stop_the_bridge(Homeserver hs) {
        // Let the bridge finish what it is doing, so that none of its late calls lands in the next test.
        hs.awaitAppserviceIdle("chat", Duration.ofSeconds(5));
        bridge.close();
    }

    @Test
    void a_remote_message_appears_in_the_portal_from_the_ghost_of_its_author(Homeserver hs) throws Exception {
        // When ann posts in #general on the remote network
        network.post("general", "ann", "hello from the other side");

        // Then the portal #chat_general has her message, from her ghost, named and with her avatar
        assertThat(hs).room("#chat_general:test").hasName("#general").hasMember("@chat_ann:test")
                .timeline().containsMessageFrom("@chat_ann:test", "hello from the other side");
        assertThat(hs).user("@chat_ann:test").isRegistered().belongsToAppservice("chat").hasDisplayName("Ann Smith");

        // And the avatar is the very bytes of the remote avatar, uploaded to the homeserver's media repository
        String avatar = hs.findUser("@chat_ann:test").orElseThrow().avatarUrl();
        assertThat(download(hs, avatar)).isEqualTo(ANN_AVATAR);
        assertThat(bridge.failures()).isEmpty();
    }

    @Test
    void a_matrix_message_in_the_portal_reaches_the_remote_channel(Homeserver hs) {
        // Given alice in the portal of #general
        String portal = bridge.portal("general");
        hs.user("@alice:test").join("#chat_general:test");

        // When she says hi
        hs.user("@alice:test").send(portal, "hi ann");

        // Then the remote channel gets it, marked as coming from Matrix
        await().untilAsserted(() -> assertThat(network.messages("general"))
                .extracting(RemoteMessage::author, RemoteMessage::text, RemoteMessage::fromMatrix)
                .containsExactly(tuple("@alice:test", "hi ann", true)));
    }

    @Test
    void a_message_from_a_user_of_another_server_reaches_the_remote_channel_too(Homeserver hs) {
        // Given bob, of another Matrix server, in the portal (no federation needed: the fake appends his events)
        String portal = bridge.portal("general");
        hs.user("@bob:elsewhere").join(portal);

        // When he says hi
        hs.user("@bob:elsewhere").send(portal, "hi from elsewhere");

        // Then the remote channel gets it under his full Matrix id
        await().untilAsserted(() -> assertThat(network.messages("general"))
                .extracting(RemoteMessage::author, RemoteMessage::text)
                .containsExactly(tuple("@bob:elsewhere", "hi from elsewhere")));
    }

    @Test
    void a_restarted_bridge_finds_its_ghosts_and_portals_again(Homeserver hs) {
        // Given ann's ghost and the portal of #general, made by the bridge before it restarts
        network.post("general", "ann", "before the restart");
        String portal = bridge.portal("general");
        assertThat(hs).eventually().appservice("chat").isIdle();
        bridge.close();

        // When a new bridge process starts, knowing nothing, and ann posts again (its attempt to create the portal
        // is refused with M_ROOM_IN_USE, which tells it to look the alias up: expected here)
        hs.allowViolation("M_ROOM_IN_USE");
        Registration chat = hs.registration("chat");
        bridge = new ChatBridge(hs.url(), hs.serverName(), chat.asToken(), chat.hsToken(), network);
        hs.setAppserviceUrl("chat", bridge.url());
        network.post("general", "ann", "after the restart");

        // Then it registered her ghost again (M_USER_IN_USE: she exists, fine) and found the portal by its alias
        assertThat(hs).room(portal).timeline().containsMessageFrom("@chat_ann:test", "after the restart");
        assertThat(bridge.portal("general")).isEqualTo(portal);
        assertThat(bridge.failures()).isEmpty();
        assertThat(hs.violations()).as("an appservice's M_USER_IN_USE in its own namespace is no violation")
                .extracting(v -> v.errcode()).doesNotContain("M_USER_IN_USE");
    }

    @Test
    void the_bridge_does_not_echo_its_own_ghosts_back_to_the_remote_network(Homeserver hs) {
        // Given ann's message relayed to Matrix, and alice's answer relayed back
        network.post("general", "ann", "ping");
        hs.user("@alice:test").join("#chat_general:test");
        hs.user("@alice:test").send("#chat_general:test", "pong");
        await().until(() -> network.messages("general").size() == 2);

        // Then the remote channel holds the two messages once each: ann's came back from Matrix, but was not relayed
        assertThat(network.messages("general")).extracting(RemoteMessage::text).containsExactly("ping", "pong");
    }

    @Test
    void a_remote_edit_becomes_a_replacement_event(Homeserver hs) {
        String messageId = network.post("general", "ann", "helo");
        String original = lastMessageFrom(hs, "@chat_ann:test").eventId();

        network.edit(messageId, "hello");

        assertThat(hs).room("#chat_general:test").timeline().containsEventMatching("an edit of " + original,
                e -> isEditOf(e, original, "hello"));
    }

    @Test
    void a_matrix_edit_changes_the_remote_message(Homeserver hs) {
        String portal = bridge.portal("general");
        hs.user("@alice:test").join(portal);
        String original = hs.user("@alice:test").send(portal, "helo");
        await().until(() -> network.messages("general").size() == 1);

        hs.user("@alice:test").sendContent(portal, "m.room.message", Map.of(
                "msgtype", "m.text", "body", "* hello",
                "m.new_content", Map.of("msgtype", "m.text", "body", "hello"),
                "m.relates_to", Map.of("rel_type", "m.replace", "event_id", original)));

        await().untilAsserted(() -> assertThat(network.messages("general")).extracting(RemoteMessage::text)
                .containsExactly("hello"));
    }

    @Test
    void a_remote_deletion_redacts_the_matrix_message(Homeserver hs) {
        String messageId = network.post("general", "ann", "oops, wrong channel");
        String relayed = lastMessageFrom(hs, "@chat_ann:test").eventId();

        network.delete(messageId);

        assertThat(hs.event(relayed).orElseThrow().redacted()).isTrue();
        assertThat(hs).room("#chat_general:test").timeline().containsEventOfType("m.room.redaction");
    }

    @Test
    void a_matrix_redaction_deletes_the_remote_message(Homeserver hs) {
        String portal = bridge.portal("general");
        hs.user("@alice:test").join(portal);
        String message = hs.user("@alice:test").send(portal, "oops");
        await().until(() -> network.messages("general").size() == 1);

        hs.user("@alice:test").redact(portal, message, "wrong room");

        await().until(() -> network.messages("general").get(0).deleted());
    }

    @Test
    void a_remote_rename_renames_the_ghost(Homeserver hs) {
        network.post("general", "ann", "hi");

        network.rename("ann", "Ann Jones");

        assertThat(hs).user("@chat_ann:test").hasDisplayName("Ann Jones");
        // The homeserver also updates her membership in the portal, as Synapse does
        assertThat(hs.room("#chat_general:test").state("m.room.member", "@chat_ann:test").orElseThrow().content())
                .containsEntry("displayname", "Ann Jones");
    }

    @Test
    void looking_up_a_portal_alias_creates_the_portal(Homeserver hs) {
        // A Matrix user can open a channel nobody posted in yet: the homeserver asks the bridge about the alias
        MatrixClient alice = new MatrixClient(hs.url(), hs.user("@alice:test").accessToken());

        MatrixClient.Answer joined = alice.call("POST", "/_matrix/client/v3/join/%23chat_random%3Atest", null, Map.of());

        assertThat(joined.status()).isEqualTo(200);
        assertThat(hs).room("#chat_random:test").hasName("#random").hasMember("@alice:test");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    static EventView lastMessageFrom(Homeserver hs, String sender) {
        return hs.room("#chat_general:test").messages().stream().filter(e -> e.sender().equals(sender))
                .reduce((a, b) -> b).orElseThrow();
    }

    static boolean isEditOf(EventView e, String original, String newBody) {
        return e.content().get("m.relates_to") instanceof Map<?, ?> rel && "m.replace".equals(rel.get("rel_type"))
                && original.equals(rel.get("event_id"))
                && e.content().get("m.new_content") instanceof Map<?, ?> nc && newBody.equals(nc.get("body"));
    }

    /** Downloads an {@code mxc://server/id} as alice would, through the authenticated media API. */
    static byte[] download(Homeserver hs, String mxc) throws Exception {
        String serverAndId = mxc.substring("mxc://".length());
        HttpRequest req = HttpRequest.newBuilder(URI.create(hs.url() + "/_matrix/client/v1/media/download/"
                + serverAndId)).header("Authorization", "Bearer " + hs.user("@alice:test").accessToken()).build();
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /**
     * The conformance kit, one dynamic test per check. The bridge relays only portal rooms, and the kit works in
     * rooms of its own, so "processed once" is not observable here: those two checks warn (the weather bot's
     * suite observes them).
     */
    @TestFactory
    Stream<DynamicTest> the_bridge_keeps_its_side_of_the_appservice_contract(Homeserver hs) {
        return AppserviceConformance.of(hs, "chat").tests();
    }
}
