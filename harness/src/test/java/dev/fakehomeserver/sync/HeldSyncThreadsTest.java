package dev.fakehomeserver.sync;

import static dev.fakehomeserver.sync.SyncFixture.V3;
import static dev.fakehomeserver.sync.SyncFixture.sync;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A held sync costs no thread: a thousand of them on one server start none, and one message answers them all. */
class HeldSyncThreadsTest {
    private static final int HELD = 1000;
    private Fixture fx;
    private ExecutorService clientThreads;
    private HttpClient http;

    @BeforeEach
    void setUp() {
        fx = Fixture.start();
        clientThreads = Executors.newFixedThreadPool(2);
        http = HttpClient.newBuilder().executor(clientThreads).version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void tearDown() {
        fx.close();
        clientThreads.shutdownNow();
    }

    private CompletableFuture<HttpResponse<String>> hold(String token, String since) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(fx.hs.url() + V3 + "/sync?timeout=60000&since=" + since))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).GET().build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
    }

    private void awaitHeld(int n) throws InterruptedException {
        boolean held = fx.model().signal().await(() -> fx.model().sync().heldSyncs() == n, Duration.ofSeconds(30));
        assertThat(held).as("held syncs: " + fx.model().sync().heldSyncs() + ", wanted " + n).isTrue();
    }

    private static Set<Long> threadIds() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
    }

    @Test
    void a_thousand_held_syncs_add_no_threads_and_one_message_answers_them_all() throws Exception {
        String alice = fx.register("alice");
        String roomId = fx.createPublicRoom(alice);
        String since = sync(fx, alice).path("next_batch").asText();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        answers.add(hold(alice, since));
        awaitHeld(1);
        Set<Long> before = threadIds();

        for (int i = 1; i < HELD; i++) {
            answers.add(hold(alice, since));
        }
        awaitHeld(HELD);
        Set<Long> after = threadIds();
        List<String> started = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> after.contains(t.getId()) && !before.contains(t.getId())).map(Thread::getName).toList();
        assertThat(started).as("threads started while " + HELD + " syncs were held").isEmpty();

        fx.send(alice, roomId, "everyone wake up");
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            assertThat(a.get().statusCode()).isEqualTo(200);
            assertThat(a.get().body()).contains("everyone wake up");
        }
        assertThat(fx.model().sync().heldSyncs()).isZero();
    }
}
