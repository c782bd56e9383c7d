package dev.fakehomeserver.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.events.SyncFeed;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-process sync stream of an actor, and the control API's view of it. */
class ActorSyncTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private Homeserver hs;

    @BeforeEach
    void setUp() {
        hs = Homeserver.builder().start();
    }

    @AfterEach
    void tearDown() {
        hs.close();
    }

    @Test
    void an_actor_reads_its_own_sync_stream_step_by_step() throws Exception {
        Actor alice = hs.user("@alice:test");
        String room = alice.createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT).name("Lobby"));
        hs.user("@bob:test").join(room);
        SyncFeed feed = alice.sync();
        JsonNode first = MAPPER.readTree(feed.poll());
        assertThat(first.path("rooms").path("join").has(room)).isTrue();
        assertThat(feed.since()).isEqualTo(first.path("next_batch").asText());

        CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> feed.poll(Duration.ofSeconds(10)));
        hs.user("@bob:test").send(room, "hi alice");
        assertThat(next.get(10, TimeUnit.SECONDS)).contains("hi alice");
        assertThat(MAPPER.readTree(feed.poll()).path("rooms").path("join").isEmpty()).isTrue();
        assertThatThrownBy(() -> alice.sync("nonsense")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_control_api_answers_a_users_sync_from_a_token() throws Exception {
        hs.close();
        hs = Homeserver.builder().controlApi(null).start();
        Actor alice = hs.user("@alice:test");
        String room = alice.createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
        String since = alice.sync().poll();
        String token = MAPPER.readTree(since).path("next_batch").asText();
        alice.send(room, "seen by the control API");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hs.url()
                + "/_fakehs/v1/users/" + URLEncoder.encode("@alice:test", StandardCharsets.UTF_8) + "/sync?since="
                + token)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("seen by the control API");
    }
}
