package dev.fakehomeserver.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.RoomOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Figure 11: held {@code /sync} long polls. 11a/11b: a client's {@code GET /sync?since=..&timeout=30000} is held,
 * then a message is injected; the time from the injection to the client having read the answer. 11c: 1,000 such
 * syncs held at once (1,000 connections), then one message: the threads the JVM gained while they were held and
 * answered (the peak thread count against the count before).
 *
 * <p>The client is {@link RawHttp} on the measuring thread, so it starts no thread of its own. A sync is known to
 * be held without looking inside the fake: the fake bumps its change signal when it holds one, and
 * {@code hs.waitUntil}, started before the request is written (its first check has run), returns on that bump.
 * The syncs pass {@code set_presence=offline}, so nothing else changes meanwhile.
 */
final class HeldSync {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HeldSync() {}

    static List<Figure> run(int rounds, int samples, int held) throws Exception {
        double[] p50 = new double[rounds];
        double[] p99 = new double[rounds];
        double[] threadsAdded = new double[rounds];
        double[] fanOut = new double[rounds];
        ExecutorService watcher = Executors.newSingleThreadExecutor();
        Registration reg = Registration.builder("bench").url(null).users("@bench_.*:test", true).build();
        try (Homeserver hs = Homeserver.builder().registration(reg).start()) {
            Actor alice = hs.user("@alice:test");
            String room = alice.createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
            Actor syncer = hs.user("@syncer:test");
            syncer.join(room);
            String token = syncer.accessToken();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            try (RawHttp one = new RawHttp(hs.port())) {
                one.get(path(null), token);
                String since = nextBatch(one.read());
                for (int r = Bench.firstRound; r < rounds; r++) {
                    double[] ms = new double[samples];
                    for (int i = 0; i < samples; i++) {
                        String from = since;
                        hold(hs, watcher, () -> one.get(path(from), token));
                        long t0 = System.nanoTime();
                        alice.send(room, "wake " + i);
                        since = nextBatch(one.read());
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                    // Every thread the fake needs exists now: one held sync was answered just above.
                    int before = threads.getThreadCount();
                    threads.resetPeakThreadCount();
                    List<RawHttp> all = new ArrayList<>();
                    try {
                        for (int i = 0; i < held; i++) {
                            RawHttp c = new RawHttp(hs.port());
                            all.add(c);
                            String from = since;
                            hold(hs, watcher, () -> c.get(path(from), token));
                        }
                        long t0 = System.nanoTime();
                        alice.send(room, "wake all");
                        for (RawHttp c : all) {
                            nextBatch(c.read());
                        }
                        double fan = (System.nanoTime() - t0) / 1e6;
                        if (r >= 0) {
                            p50[r] = Stats.percentile(ms, 50);
                            p99[r] = Stats.percentile(ms, 99);
                            threadsAdded[r] = Math.max(0, threads.getPeakThreadCount() - before);
                            fanOut[r] = fan;
                        }
                    } finally {
                        for (RawHttp c : all) {
                            c.close();
                        }
                    }
                    // The one connection's next sync starts after "wake all".
                    one.get(path(since), token);
                    since = nextBatch(one.read());
                }
            }
        } finally {
            watcher.shutdownNow();
        }
        List<String> n = List.of(samples + " wake-ups per round, one sync held at a time");
        return List.of(
                Figure.absolute("11a. held /sync wake-up: injection to answer, p50", "ms", p50,
                        Figure.Target.atMost(1, "<= 1 ms"), n),
                Figure.absolute("11b. held /sync wake-up, p99", "ms", p99, null, n),
                Figure.absolute("11c. threads added by " + String.format("%,d", held) + " held syncs", "threads",
                        threadsAdded, Figure.Target.atMost(0, "0"), List.of(String.format(
                                "all %,d answered %.1f ms (%.1f-%.1f) after one injection", held,
                                Stats.median(fanOut), Stats.min(fanOut), Stats.max(fanOut)))));
    }

    private interface Send {
        void run() throws Exception;
    }

    /** Sends a sync and returns once the fake holds it (its change signal was bumped after the send). */
    private static void hold(Homeserver hs, ExecutorService watcher, Send send) throws Exception {
        CountDownLatch looked = new CountDownLatch(1);
        boolean[] first = {true};
        Future<Boolean> bumped = watcher.submit(() -> hs.waitUntil(() -> {
            if (first[0]) {
                first[0] = false;
                looked.countDown();
                return false;
            }
            return true;
        }, Duration.ofSeconds(10)));
        looked.await();
        send.run();
        if (!bumped.get(11, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the sync was not held within 10 s");
        }
    }

    private static String nextBatch(RawHttp.Answer a) throws Exception {
        if (a.status() != 200) {
            throw new IllegalStateException("/sync answered " + a.status() + " " + a.text());
        }
        JsonNode json = JSON.readTree(a.body());
        return json.path("next_batch").asText();
    }

    private static String path(String since) {
        return "/_matrix/client/v3/sync?set_presence=offline"
                + (since == null ? "&timeout=0" : "&timeout=30000&since=" + since);
    }
}
