package dev.fakehomeserver.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.RoomOptions;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Not a figure: the CPU time this JVM spends per operation (fake, clients and receivers together), for A/B
 * comparisons of two builds on a busy machine, where wall-clock figures are noisy but CPU time for the same work
 * barely moves. {@code Bench --only cost}: events injected with nothing pushed, one event pushed at a time,
 * floods of 1,000 events pushed in batches (figure 4's shape), a client API send without and with a push, and one
 * scenario, each after a warm-up of the same size.
 */
final class CpuCost {
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private CpuCost() {}

    private interface Op {
        void run(int i) throws Exception;
    }

    static void run(int n) throws Exception {
        try (Receiver rx = new Receiver();
             Homeserver hs = Homeserver.builder().registration(Fakes.registration("bench", rx.url())).start()) {
            Actor alice = hs.user("@alice:test");
            String pushed = Fakes.interestingRoom(hs);
            String quiet = alice.createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
            Actor user = hs.user("@user0:test");
            user.join(pushed);
            user.join(quiet);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            // The injection alone (figure 7d's send): the DSL and the append path, nothing pushed.
            print("inject 1,000 events, nothing pushed, per event", n / 40, 1_000, i -> {
                for (int k = 0; k < 1_000; k++) {
                    alice.send(quiet, "hello " + k);
                }
            });
            // Figure 4's shape: a flood of sends, pushed in batches of up to 100 while the test thread injects.
            print("push 1,000 events batched, per event", n / 40, 1_000, i -> {
                for (int k = 0; k < 1_000; k++) {
                    alice.send(pushed, "hello " + k);
                }
                rx.await(1_000);
            });
            print("push one event, to its arrival", n, i -> {
                alice.send(pushed, "hello " + i);
                rx.await(1);
            });
            print("client API send, no push", n, i -> put(http, hs, quiet, user.accessToken(), "q" + i));
            print("client API send, pushed", n, i -> {
                put(http, hs, pushed, user.accessToken(), "p" + i);
                rx.await(1);
            });
        }
        try (ReplyBot bot = new ReplyBot()) {
            Registration reg = Fakes.registration("bench", bot.url());
            try (Homeserver hs = Homeserver.builder().registration(reg).start()) {
                bot.target(hs.url(), reg.asToken());
                Actor alice = hs.user("@alice:test");
                String room = Scenario.room(hs);
                print("scenario", n / 4, i -> Scenario.once(hs, alice, room, "ping " + i));
            }
        }
    }

    private static void print(String what, int n, Op op) throws Exception {
        print(what, n, 1, op);
    }

    /** {@code perOp}: how many units one op does; the cost is given per unit. */
    private static void print(String what, int n, int perOp, Op op) throws Exception {
        for (int i = 0; i < n; i++) {
            op.run(-i - 1);
        }
        java.util.Map<Long, Long> fake0 = fakeThreadsCpu();
        long cpu0 = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            op.run(i);
        }
        long cpu = OS.getProcessCpuTime() - cpu0;
        long wall = System.nanoTime() - t0;
        long fake = 0;
        for (var e : fakeThreadsCpu().entrySet()) {
            fake += e.getValue() - fake0.getOrDefault(e.getKey(), 0L);
        }
        System.out.printf("cost: %-46s %7.1f us CPU per op, %7.1f us wall, %7.1f us on the fake's threads (%d ops)%n",
                what, cpu / 1e3 / n / perOp, wall / 1e3 / n / perOp, fake / 1e3 / n / perOp, n);
    }

    /**
     * CPU time so far of the threads the fake's own work runs on: this one (which injects) and the fake's pools
     * ({@code fake-homeserver-*}), without the receivers, clients and Undertow IO threads, whose share of the
     * process's CPU moves with the machine's load; a thread that ended meanwhile is missed.
     */
    private static java.util.Map<Long, Long> fakeThreadsCpu() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        java.util.Map<Long, Long> cpu = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && (t.getThreadId() == Thread.currentThread().getId()
                    || t.getThreadName().startsWith("fake-homeserver"))) {
                cpu.put(t.getThreadId(), mx.getThreadCpuTime(t.getThreadId()));
            }
        }
        return cpu;
    }

    private static void put(HttpClient http, Homeserver hs, String room, String token, String txn)
            throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(hs.url() + "/_matrix/client/v3/rooms/"
                        + URLEncoder.encode(room, StandardCharsets.UTF_8) + "/send/m.room.message/" + txn
                        + System.nanoTime()))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"msgtype\":\"m.text\",\"body\":\"hello from the bridge\"}"))
                .build();
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("send answered " + r.statusCode());
        }
    }
}
