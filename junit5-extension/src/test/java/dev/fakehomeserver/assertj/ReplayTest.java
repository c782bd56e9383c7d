package dev.fakehomeserver.assertj;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.events.RoomOptions;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: one scenario played twice with seed 42 gives byte-identical journals, pushes (as the appservice
 * received them, headers aside), transactions and failure messages; seed 43 gives other ones. The scenario touches
 * every kind of id the fake makes: rooms, events, a device and access token (an appservice registration), media,
 * txnIds, a retry on the virtual clock and the failure messages that print them all.
 */
class ReplayTest {
    private static final Duration SHORT = Duration.ofMillis(50);

    /** What one run left behind, each part rendered whole. */
    private record Run(String journal, String pushes, String transactions, String failures) {}

    @Test
    void the_same_seed_replays_byte_for_byte_and_another_seed_differs() throws Exception {
        // One appservice for the three runs (its url is in the failure messages, and its port is the OS's choice).
        try (Receiver as = new Receiver()) {
            compare(play(as, 42), play(as, 42), play(as, 43));
        }
    }

    private static void compare(Run first, Run second, Run other) {
        org.assertj.core.api.Assertions.assertThat(second.journal).isEqualTo(first.journal);
        org.assertj.core.api.Assertions.assertThat(second.pushes).isEqualTo(first.pushes);
        org.assertj.core.api.Assertions.assertThat(second.transactions).isEqualTo(first.transactions);
        org.assertj.core.api.Assertions.assertThat(second.failures).isEqualTo(first.failures)
                .contains("Seed 42: replay with -Dfakehomeserver.seed=42");

        org.assertj.core.api.Assertions.assertThat(other.journal).isNotEqualTo(first.journal);
        org.assertj.core.api.Assertions.assertThat(other.pushes).isNotEqualTo(first.pushes);
        org.assertj.core.api.Assertions.assertThat(other.transactions).isNotEqualTo(first.transactions);
        org.assertj.core.api.Assertions.assertThat(other.failures).isNotEqualTo(first.failures);
    }

    @Test
    void a_seed_drawn_at_random_is_printed_and_replays_the_ids() throws Exception {
        long drawn;
        String firstRoom;
        try (Homeserver hs = Homeserver.builder().start()) {
            drawn = hs.randomSeed();
            firstRoom = hs.user("@alice:test").createRoom();
            AssertionError e = catchThrowableOfType(AssertionError.class,
                    () -> assertThat(hs).room(firstRoom).hasMember("@bob:test"));
            org.assertj.core.api.Assertions.assertThat(e.getMessage())
                    .endsWith("\nSeed " + drawn + ": replay with -Dfakehomeserver.seed=" + drawn
                            + " (standalone jar: --seed " + drawn + ")");
        }
        try (Homeserver again = Homeserver.builder().randomSeed(drawn).start()) {
            org.assertj.core.api.Assertions.assertThat(again.user("@alice:test").createRoom()).isEqualTo(firstRoom);
        }
    }

    private Run play(Receiver as, long seed) throws Exception {
        as.clear();
        try (Homeserver hs = Homeserver.builder().randomSeed(seed).virtualClock()
                     .registration(Registration.builder("weather").url(as.url()).asToken("as-secret")
                             .hsToken("hs-secret").senderLocalpart("weatherbot").users("@weather_.*:test", true)
                             .build()).start()) {
            as.hs = hs;
            VirtualClock clock = (VirtualClock) hs.clock();
            List<String> failures = new ArrayList<>();

            String room = hs.user("@alice:test").createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
            hs.user("@weather_paris:test").join(room);
            hs.user("@alice:test").send(room, "!ping");
            assertThat(hs).eventually().room(room).timeline().containsMessageFrom("@weather_paris:test", "pong 1");
            assertThat(hs).eventually().appservice("weather").isIdle();

            as.call("POST", "/_matrix/client/v3/register", "{\"type\":\"m.login.application_service\","
                    + "\"username\":\"weather_london\"}");
            as.call("POST", "/_matrix/media/v3/upload?filename=map.png", "not really a png");

            hs.faults().appservice("weather").failTransactions(1);
            hs.user("@alice:test").send(room, "!ping");
            assertThat(hs).eventually().appservice("weather").isDown();
            failures.add(failure(() -> assertThat(hs).appservice("weather").isIdle()));
            failures.add(failure(() -> assertThat(hs).eventually(SHORT).room(room).timeline()
                    .containsMessageFrom("@weather_paris:test", "pong 2")));
            clock.advance(Duration.ofSeconds(2));
            assertThat(hs).eventually().room(room).timeline().containsMessageFrom("@weather_paris:test", "pong 2");
            assertThat(hs).eventually().appservice("weather").isIdle();
            failures.add(failure(() -> assertThat(hs).room(room).hasMember("@weather_london:test")));

            return new Run(render(hs.journal().requests()), String.join("\n", as.received),
                    render(hs.transactions().records()), String.join("\n----\n", failures));
        }
    }

    private static String failure(Runnable assertion) {
        return catchThrowableOfType(AssertionError.class, assertion::run).getMessage();
    }

    /**
     * Every component of every record, in order: the whole journal entry rather than its one-line summary. A
     * transaction's latency is left out: it is how long the appservice took in real time, the one thing a seed
     * cannot fix.
     */
    private static String render(List<? extends Record> records) throws ReflectiveOperationException {
        StringBuilder sb = new StringBuilder();
        for (Record r : records) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                if (!c.getName().equals("latency")) {
                    sb.append(c.getName()).append('=').append(c.getAccessor().invoke(r)).append(' ');
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * The appservice: keeps each request as it arrived (method, path and query, body) and answers a {@code !ping}
     * with {@code pong N} as its ghost, with txnIds of its own that count, so that it adds no randomness itself.
     */
    private static final class Receiver implements AutoCloseable {
        final List<String> received = java.util.Collections.synchronizedList(new ArrayList<>());
        private final LoopbackAppservice server = new LoopbackAppservice(this::received);
        private final HttpClient http = HttpClient.newHttpClient();
        private final AtomicInteger pongs = new AtomicInteger();
        volatile Homeserver hs;

        Receiver() throws IOException {}

        /** Forgets what the last run sent: a new run, as a restarted appservice would start. */
        void clear() {
            received.clear();
            pongs.set(0);
        }

        private void received(String method, String pathAndQuery, String body) throws Exception {
            received.add(method + " " + pathAndQuery + "\n" + body);
            int pings = body.split("\"body\":\"!ping\"", -1).length - 1;
            for (int i = 0; i < pings; i++) {
                String room = body.replaceAll("(?s).*\"room_id\":\"([^\"]+)\".*", "$1");
                call("PUT", "/_matrix/client/v3/rooms/" + room + "/send/m.room.message/pong-"
                        + pongs.incrementAndGet() + "?user_id=@weather_paris:test",
                        "{\"msgtype\":\"m.text\",\"body\":\"pong " + pongs.get() + "\"}");
            }
        }

        String call(String method, String pathAndQuery, String body) throws IOException, InterruptedException {
            HttpRequest req = HttpRequest.newBuilder(URI.create(hs.url() + pathAndQuery))
                    .header("Authorization", "Bearer as-secret")
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
            return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
        }

        String url() {
            return server.url();
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
