package dev.fakehomeserver.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fakehomeserver.testing.TestRegistrations;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.CoreAccess;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.journal.AppserviceStatus;
import dev.fakehomeserver.testing.ScriptedAppservice;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Sixteen clients at once over loopback, eight of them the appservice masquerading as its users and eight
 * ordinary users, each sending messages, changing its own state and reading history in four shared rooms, while
 * a seventeenth thread injects events from remote users through the DSL and the pusher delivers all of it.
 * Every client makes a bounded number of requests (not a wall-clock loop), so the run always ends. Then:
 * <ul>
 *   <li>no answer was a 5xx, and every send and state change succeeded;</li>
 *   <li>each event is in its room's timeline once, every id a client was given among them;</li>
 *   <li>stream positions rise along each timeline and no two events share one;</li>
 *   <li>the appservice, interested in every room (its users are members), got every event once, in room order;</li>
 *   <li>each user's state event holds the last value it set, over HTTP and in the model alike.</li>
 * </ul>
 * {@code -Plong} makes each client do 500 operations instead of 40.
 */
class ConcurrentLoadTest {
    private static final boolean LONG = Boolean.getBoolean("reliability.long");
    private static final int OPS = Integer.getInteger("load.ops", LONG ? 500 : 40);
    private static final int CLIENTS = 16;
    private static final int ROOMS = 4;
    private static final String V3 = "/_matrix/client/v3";
    private static final String STATE = "org.example.load";

    /** What one client did: ids it was given, the last state value it set per room, answers other than 200. */
    private record Outcome(String userId, Map<String, List<String>> sent, Map<String, Integer> lastState,
                           List<String> refusals) {}

    @Test
    void sixteen_clients_and_an_injector_leave_consistent_timelines_state_and_deliveries() throws Exception {
        try (ScriptedAppservice as = ScriptedAppservice.start()) {
            Registration reg = TestRegistrations.weatherBuilder().url(as.url()).rateLimited(false).build();
            try (Homeserver hs = Homeserver.builder().registration(reg).start()) {
                TestClient c = new TestClient(hs.url());
                List<String> rooms = new ArrayList<>();
                String creator = ghost(c, reg, "weather_creator");
                for (int i = 0; i < ROOMS; i++) {
                    rooms.add(ok(c.post(V3 + "/createRoom").token(reg.asToken()).asUser(creator)
                            .json(Map.of("preset", "public_chat",
                                    // every member may set state: the clients each keep one state event
                                    "power_level_content_override", Map.of("state_default", 0)))).str("room_id"));
                }
                List<Callable<Outcome>> clients = new ArrayList<>();
                CountDownLatch go = new CountDownLatch(1);
                for (int i = 0; i < CLIENTS; i++) {
                    boolean masquerading = i < CLIENTS / 2;
                    String userId;
                    String token;
                    if (masquerading) {
                        userId = ghost(c, reg, "weather_load" + i);
                        token = reg.asToken();
                    } else {
                        Reply r = ok(c.post(V3 + "/register").json(Map.of("username", "load" + i, "password", "pw",
                                "auth", Map.of("type", "m.login.dummy"))));
                        userId = r.str("user_id");
                        token = r.str("access_token");
                    }
                    for (String room : rooms) {
                        ok(as(c.post(V3 + "/join/" + TestClient.enc(room)), token, masquerading, userId)
                                .json(Map.of()));
                    }
                    long seed = 1000L + i;
                    clients.add(() -> client(c, go, userId, token, masquerading, rooms, new Random(seed)));
                }
                clients.add(() -> injector(hs, go, rooms, new Random(7)));

                ExecutorService pool = Executors.newFixedThreadPool(clients.size());
                List<Outcome> outcomes = new ArrayList<>();
                try {
                    List<Future<Outcome>> futures = new ArrayList<>();
                    for (Callable<Outcome> cl : clients) {
                        futures.add(pool.submit(cl));
                    }
                    go.countDown();
                    for (Future<Outcome> fu : futures) {
                        outcomes.add(fu.get(5, TimeUnit.MINUTES));
                    }
                } finally {
                    pool.shutdownNow();
                }

                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                    AppserviceStatus st = hs.appserviceStatus("weather");
                    return !st.down() && !st.inFlight() && st.queuedEvents() == 0
                            && st.queuedEphemeral() == 0 && st.queuedTransactions() == 0;
                });
                check(hs, c, as, rooms, outcomes);
            }
        }
    }

    private static Outcome client(TestClient c, CountDownLatch go, String userId, String token, boolean masquerading,
                                  List<String> rooms, Random rng) throws InterruptedException {
        Map<String, List<String>> sent = new HashMap<>();
        Map<String, Integer> lastState = new HashMap<>();
        List<String> refusals = new ArrayList<>();
        go.await();
        for (int op = 0; op < OPS; op++) {
            String room = rooms.get(rng.nextInt(rooms.size()));
            String r = V3 + "/rooms/" + TestClient.enc(room);
            int kind = rng.nextInt(10);
            Reply reply;
            if (kind < 6) {
                reply = as(c.put(r + "/send/m.room.message/" + userId.hashCode() + "-" + op), token, masquerading,
                        userId).json(Map.of("msgtype", "m.text", "body", userId + " " + op)).send();
                if (reply.status() == 200) {
                    sent.computeIfAbsent(room, k -> new ArrayList<>()).add(reply.str("event_id"));
                }
            } else if (kind < 8) {
                reply = as(c.put(r + "/state/" + STATE + "/" + TestClient.enc(userId)), token, masquerading, userId)
                        .json(Map.of("n", op)).send();
                if (reply.status() == 200) {
                    lastState.put(room, op);
                    sent.computeIfAbsent(room, k -> new ArrayList<>()).add(reply.str("event_id"));
                }
            } else {
                reply = as(c.get(r + "/messages").query("dir", "b").query("limit", "5"), token, masquerading, userId)
                        .send();
            }
            if (reply.status() != 200) {
                refusals.add(userId + " op " + op + ": " + reply);
            }
        }
        return new Outcome(userId, sent, lastState, refusals);
    }

    /** Remote users join and talk through the DSL, the model's own way in, while the clients are busy. */
    private static Outcome injector(Homeserver hs, CountDownLatch go, List<String> rooms, Random rng)
            throws InterruptedException {
        Map<String, List<String>> sent = new HashMap<>();
        go.await();
        for (int op = 0; op < OPS; op++) {
            String room = rooms.get(rng.nextInt(rooms.size()));
            String remote = "@remote" + rng.nextInt(3) + ":elsewhere";
            if (!hs.room(room).joinedMembers().contains(remote)) {
                hs.user(remote).join(room);
            }
            sent.computeIfAbsent(room, k -> new ArrayList<>()).add(hs.user(remote).send(room, "injected " + op));
        }
        return new Outcome("injector", sent, Map.of(), List.of());
    }

    private static void check(Homeserver hs, TestClient c, ScriptedAppservice as, List<String> rooms,
                              List<Outcome> outcomes) {
        List<String> errors = outcomes.stream().flatMap(o -> o.refusals().stream()).toList();
        assertThat(errors).as("answers other than 200 (so no 5xx either)").isEmpty();

        HomeserverModel model = CoreAccess.core(hs).model();
        // Read under the model's own read method, then checked outside it: an assertion failing inside would
        // leave nothing half-read, and no test takes the model's lock by hand.
        Map<String, List<Event>> read = model.read(() -> {
            Map<String, List<Event>> copy = new HashMap<>();
            for (String room : rooms) {
                copy.put(room, List.copyOf(model.room(room).timeline()));
            }
            return copy;
        });
        Map<String, List<String>> timelines = new HashMap<>();
        Set<Long> streams = new HashSet<>();
        for (String room : rooms) {
            List<String> ids = new ArrayList<>();
            long previous = Long.MIN_VALUE;
            for (Event e : read.get(room)) {
                assertThat(e.stream()).as("stream order in " + room).isGreaterThan(previous);
                assertThat(streams.add(e.stream())).as("stream position " + e.stream() + " used twice").isTrue();
                previous = e.stream();
                ids.add(e.eventId());
            }
            timelines.put(room, ids);
        }
        long total = 0;
        for (String room : rooms) {
            List<String> timeline = timelines.get(room);
            assertThat(timeline).as("each event once in " + room).doesNotHaveDuplicates();
            for (Outcome o : outcomes) {
                assertThat(timeline).as(o.userId() + "'s events in " + room)
                        .containsAll(o.sent().getOrDefault(room, List.of()));
            }
            total += timeline.size();
        }
        assertThat(total).as("events in all rooms").isGreaterThan((long) CLIENTS * OPS / 2);

        Map<String, List<String>> delivered = new HashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        Set<String> txns = new HashSet<>();
        for (ScriptedAppservice.Req t : as.transactions()) {
            if (!txns.add(t.txnId())) {
                continue; // a retry of a transaction already received; none is expected, but it would not count
            }
            for (JsonNode e : t.json().path("events")) {
                String id = e.path("event_id").asText();
                assertThat(seen.add(id)).as(id + " delivered twice").isTrue();
                delivered.computeIfAbsent(e.path("room_id").asText(), k -> new ArrayList<>()).add(id);
            }
        }
        for (String room : rooms) {
            assertThat(delivered.get(room)).as("delivered to the appservice, in order, from " + room)
                    .containsExactlyElementsOf(timelines.get(room));
        }

        for (Outcome o : outcomes) {
            o.lastState().forEach((room, n) -> {
                String path = V3 + "/rooms/" + TestClient.enc(room) + "/state/" + STATE + "/"
                        + TestClient.enc(o.userId());
                Reply r = c.get(path).token(hs.registration("weather").asToken()).asUser("@weather_creator:test")
                        .send();
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                assertThat(r.json().path("n").asInt()).as(o.userId() + "'s state in " + room).isEqualTo(n);
                assertThat(hs.room(room).state(STATE, o.userId())).get()
                        .satisfies(e -> assertThat(((Number) e.content().get("n")).intValue()).isEqualTo(n));
            });
        }
        System.out.printf("ConcurrentLoadTest: %d clients x %d operations, %d events in %d rooms, %d delivered "
                + "in %d transactions%n", CLIENTS, OPS, total, rooms.size(), seen.size(), txns.size());
    }

    private static String ghost(TestClient c, Registration reg, String localpart) {
        return ok(c.post(V3 + "/register").token(reg.asToken())
                .json(Map.of("type", "m.login.application_service", "username", localpart))).str("user_id");
    }

    private static TestClient.Request as(TestClient.Request r, String token, boolean masquerading, String userId) {
        r.token(token);
        return masquerading ? r.asUser(userId) : r;
    }

    private static Reply ok(TestClient.Request r) {
        Reply reply = r.send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply;
    }
}
