package dev.fakehomeserver;

import dev.fakehomeserver.coverage.Behaviour;
import dev.fakehomeserver.coverage.Coverage;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.faults.Faults;
import dev.fakehomeserver.internal.console.ChangeWaiters;
import dev.fakehomeserver.internal.console.ConsoleHandler;
import dev.fakehomeserver.internal.console.ConsoleSessions;
import dev.fakehomeserver.internal.control.ControlApi;
import dev.fakehomeserver.internal.dsl.SeedLoader;
import dev.fakehomeserver.internal.engine.Engine;
import dev.fakehomeserver.journal.AppserviceStatus;
import dev.fakehomeserver.journal.Journal;
import dev.fakehomeserver.journal.TransactionJournal;
import dev.fakehomeserver.journal.Violation;
import dev.fakehomeserver.platform.Dashboard;
import dev.fakehomeserver.platform.Plan;
import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.RoomView;
import dev.fakehomeserver.view.UserView;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A running fake Matrix homeserver, in process, on loopback.
 *
 * <pre>{@code
 * try (Homeserver hs = Homeserver.builder()
 *         .registration(Path.of("registration.yaml"))
 *         .start()) {
 *     hs.setAppserviceUrl("weather", myAppservice.url());
 *     System.out.println("homeserver at " + hs.url());   // http://127.0.0.1:41234
 * }
 * }</pre>
 *
 * <p>Each instance has its own port, state and threads, so many can run in one JVM at once. {@link #reset()}
 * forgets users, rooms, events and journals but keeps the registrations, their tokens and the port.
 *
 * <p>This class is the one way in: every face of the library (this API, the JUnit extension, the control API
 * under {@code /_fakehs/v1/}, the standalone command line) goes through it. Each method delegates to the
 * internal engine that owns the state, so what a method does here is what every face does.
 */
public final class Homeserver implements AutoCloseable {
    private final Engine engine;
    /** The console's one-time codes and sessions (the wall clock: a person follows a link in real time). */
    private final ConsoleSessions consoleSessions = new ConsoleSessions(System::currentTimeMillis);
    /** The waits that hold no thread ({@link #waitUntilAsync}), shared with the console's long poll. */
    private final ChangeWaiters waiters;
    private volatile boolean controlApiMounted;

    Homeserver(HomeserverBuilder b) {
        this.engine = new Engine(b.engineConfig());
        var signal = engine.model().signal();
        this.waiters = new ChangeWaiters(signal::version, signal::addListener,
                "fake-homeserver-waits-" + engine.serverName());
        if (b.controlApi) {
            // The control API is a client of this facade: mounted last, when the facade is complete.
            try {
                mountControlApi(b.controlToken);
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
        }
    }

    /** Starts configuring a homeserver. */
    public static HomeserverBuilder builder() {
        return new HomeserverBuilder();
    }

    /** The base URL, such as {@code http://127.0.0.1:41234}, without a trailing slash. */
    public String url() {
        return engine.url();
    }

    /**
     * The TLS listener's base URL, such as {@code https://127.0.0.1:41235}, when {@link HomeserverBuilder#https}
     * asked for one; the same API as {@link #url()}.
     */
    public java.util.Optional<String> httpsUrl() {
        return java.util.Optional.ofNullable(engine.httpsUrl());
    }

    /** The control API and its console, with the console's logins and its long poll on the change signal. */
    private void mountControlApi(String tokenOrNull) {
        engine.mount(ControlApi.handler(this, tokenOrNull, consoleSessions, waiters));
        controlApiMounted = true;
    }

    /**
     * A link into this server's web console (docs/console.md) that logs a browser in once, within 15 minutes:
     * {@code http://127.0.0.1:PORT/_fakehs/console/#code=...}. Each call mints a new link; the code rides in
     * the fragment, which browsers never send, and is worthless once used. If the builder did not turn the
     * control API on, this turns it on with a random token that nobody is told, so links are the only way in.
     *
     * <pre>{@code
     * System.out.println("look: " + hs.consoleUrl());   // open it in a browser while the test waits
     * }</pre>
     */
    public String consoleUrl() {
        return consoleUrl(Duration.ofMillis(ConsoleSessions.CODE_LIFETIME_MILLIS));
    }

    /** {@link #consoleUrl()} with a link usable for {@code validFor} (at least a second). */
    public String consoleUrl(Duration validFor) {
        synchronized (consoleSessions) {
            if (!controlApiMounted) {
                mountControlApi(ConsoleSessions.randomSecret());
            }
        }
        long millis = Math.max(1000, validFor.toMillis());
        return url() + ConsoleHandler.PREFIX + "#code=" + consoleSessions.mintCode(millis);
    }

    /** The port the server listens on. */
    public int port() {
        return engine.port();
    }

    /** The server name: the part after {@code :} in user ids ({@code test} unless configured). */
    public String serverName() {
        return engine.serverName();
    }

    /** The registrations loaded, with their current urls. */
    public List<Registration> registrations() {
        return engine.registrations();
    }

    /** The registration with this id. */
    public Registration registration(String appserviceId) {
        return engine.appservice(appserviceId).registration();
    }

    /**
     * Warnings about the loaded registrations that a real deployment would regret: a users regex that claims
     * every user, a regex without a server part or a trailing {@code $}, {@code rate_limited: false}, a url that
     * is not https, short or equal tokens. Never an error: the fake starts anyway.
     */
    public List<LintFinding> lint() {
        return engine.lint();
    }

    /**
     * The hosting platform's plan when its rules are on ({@link HomeserverBuilder#hostedPlatform}), else empty.
     *
     * <pre>{@code
     * hs.hostedPlatform().ifPresent(plan -> System.out.println("on the platform, plan " + plan.displayName()));
     * }</pre>
     */
    public Optional<Plan> hostedPlatform() {
        return Optional.ofNullable(engine.platform()).map(p -> p.plan());
    }

    /**
     * The hosting platform's dashboard: register and remove as the platform does, with the restart that follows
     * (docs/platform.md).
     *
     * <pre>{@code
     * Registration mine = hs.dashboard().register(Files.readString(Path.of("registration.yaml")));
     * clock.advance(Dashboard.RESTART);   // the homeserver is back up
     * }</pre>
     *
     * @throws IllegalStateException when the platform's rules are off ({@link HomeserverBuilder#hostedPlatform})
     */
    public Dashboard dashboard() {
        Dashboard d = engine.dashboard();
        if (d == null) {
            throw new IllegalStateException("The hosting platform's rules are off, so there is no dashboard: start "
                    + "with Homeserver.builder().hostedPlatform(Plan.PRO), @FakeHomeserverConfig(platform = \"pro\") "
                    + "or --platform pro");
        }
        return d;
    }

    /**
     * Registers an appservice while the server runs, as the hosting platform's dashboard does: validated with the
     * same checks as at start (a repeated id or as_token, and overlapping exclusive namespaces unless
     * {@link HomeserverBuilder#checkNamespaceConflicts(boolean)} is off; on the hosting platform, its plan's limit
     * and conflicts with its managed bridges too). It receives only events appended from now on.
     *
     * <pre>{@code
     * hs.addRegistration(Registration.builder("bridge").users("@bridge_.*:test", true).build());
     * }</pre>
     *
     * @throws RegistrationException when the registration clashes with a loaded one
     */
    public void addRegistration(Registration registration) {
        engine.addRegistration(registration);
    }

    /**
     * Removes an appservice, as the platform's dashboard does: its as_token stops working at once, nothing more is
     * pushed to it, and the users it created stay.
     *
     * @throws java.util.NoSuchElementException when no appservice has this id
     * @throws IllegalArgumentException for one of the hosting platform's managed bridges
     */
    public void removeRegistration(String appserviceId) {
        engine.removeRegistration(appserviceId);
    }

    /** Points an appservice at another url, typically the random port its test server got. */
    public void setAppserviceUrl(String appserviceId, String url) {
        engine.appservice(appserviceId).url(url);
    }

    /** Every client-server request received since start or the last reset. */
    public Journal journal() {
        return engine.journal();
    }

    /**
     * Everything sent to appservices since start or the last reset: transaction pushes (one record per attempt),
     * user and alias queries, pings and third-party lookups.
     *
     * <pre>{@code
     * await().until(() -> hs.transactions().of("weather", RecordedTransaction.Kind.TRANSACTION).size() == 2);
     * }</pre>
     */
    public TransactionJournal transactions() {
        return engine.transactions();
    }

    /** The push state of an appservice: up or down, what waits, when the next retry is due. */
    public AppserviceStatus appserviceStatus(String appserviceId) {
        return engine.appserviceStatus(appserviceId);
    }

    /**
     * Retries a down appservice's oldest transaction now instead of at its scheduled time, as a successful ping
     * does. Does nothing when the appservice is up or a request to it is in flight.
     */
    public void retryAppserviceNow(String appserviceId) {
        engine.retryAppserviceNow(appserviceId);
    }

    /** The clock of this server: event timestamps and retry times (a {@link VirtualClock} in most tests). */
    public Clock clock() {
        return engine.clock();
    }

    /**
     * The seed every id of this server comes from (see {@link HomeserverBuilder#randomSeed(long)}): the one the
     * builder or {@code -Dfakehomeserver.seed} fixed, else the one drawn at random when it started.
     */
    public long randomSeed() {
        return engine.model().ids().seed();
    }

    /**
     * How to replay this run, the last line of every failure message the fake writes (assertions, the control
     * API's waits, the JUnit extension's violations):
     * {@code Seed 42: replay with -Dfakehomeserver.seed=42 (standalone jar: --seed 42)}.
     *
     * <pre>{@code
     * if (!ok) throw new AssertionError("the bot did not answer\n" + hs.replayHint());
     * }</pre>
     */
    public String replayHint() {
        long seed = randomSeed();
        return "Seed " + seed + ": replay with -D" + HomeserverBuilder.SEED_PROPERTY + "=" + seed
                + " (standalone jar: --seed " + seed + ")";
    }

    /**
     * Forgets users, rooms, events, aliases, media, journals, push queues and down states, fault rules and
     * violation allowances; keeps registrations, tokens and the port, then applies the builder's seeds again.
     * Clearing maps only, so it takes microseconds however much the test injected. A request to an appservice
     * still in flight is not cancelled, but its answer is ignored; txnIds keep counting.
     */
    public void reset() {
        engine.reset();
    }

    // ---- coverage ----------------------------------------------------------------------------------------------

    /**
     * Which behaviours of the {@link Behaviour catalogue} (a retried transaction, the appservice down and back, a
     * duplicate txnId, a 429 retried, a remote user's event ...) this server made happen, per appservice, since it
     * started: resets do not clear it. The JUnit extension turns these into the suite's report
     * ({@code target/fake-homeserver/coverage.md}, docs/coverage.md).
     *
     * <pre>{@code
     * Coverage before = hs.coverage();
     * hs.faults().appservice("weather").failTransactions(1);
     * hs.user("@alice:test").send(room, "!weather paris");
     * clock.advance(Duration.ofSeconds(2));
     * assertThat(hs.coverage().since(before).covered("weather")).contains(Behaviour.TRANSACTION_RETRIED);
     * }</pre>
     */
    public Coverage coverage() {
        return engine.coverage();
    }

    /**
     * Counts a behaviour the fake cannot see happen: a test that sends a forged push straight to its appservice
     * ({@link Behaviour#WRONG_HS_TOKEN}) says so here, as the conformance kit does for its auth checks.
     *
     * <pre>{@code
     * HttpResponse<String> answer = http.send(forgedPushWithAWrongHsToken, BodyHandlers.ofString());
     * assertThat(answer.statusCode()).isEqualTo(403);
     * hs.recordBehaviour("weather", Behaviour.WRONG_HS_TOKEN);
     * }</pre>
     *
     * @throws IllegalArgumentException when no appservice has this id
     */
    public void recordBehaviour(String appserviceId, Behaviour behaviour) {
        engine.recordBehaviour(Objects.requireNonNull(appserviceId), Objects.requireNonNull(behaviour));
    }

    // ---- the injection DSL -----------------------------------------------------------------------------------

    /**
     * Acts as a user, creating it when it does not exist: a local user ({@code @alice:test}; one in an
     * appservice's exclusive namespace belongs to that appservice) or a remote one ({@code @bob:elsewhere},
     * whose events are appended directly, without federation).
     *
     * <pre>{@code
     * String room = hs.user("@alice:test").createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
     * hs.user("@bob:elsewhere").join(room);
     * hs.user("@bob:elsewhere").send(room, "!weather Paris");
     * }</pre>
     */
    public Actor user(String userId) {
        return engine.actor(Objects.requireNonNull(userId));
    }

    /** Applies a seed file of users and rooms (see {@link HomeserverBuilder#seed(Path)} for the format). */
    public Homeserver seed(Path file) {
        engine.applySeed(SeedLoader.parse(read(file), file.toString()));
        return this;
    }

    /** Applies a seed from a classpath resource. */
    public Homeserver seedResource(String resource) {
        engine.applySeed(SeedLoader.parse(readResource(resource), "classpath:" + resource));
        return this;
    }

    /** Applies a seed given as YAML text; {@code sourceName} names it in error messages. */
    public Homeserver seedYaml(String yaml, String sourceName) {
        engine.applySeed(SeedLoader.parse(yaml, sourceName));
        return this;
    }

    /**
     * The current users and rooms as a scene: a seed file in which every room has its id, local aliases,
     * directory visibility and whole history (state and timeline, each event with its id, sender, timestamp and
     * content). {@link #seed(Path)}, {@link HomeserverBuilder#seed(Path)}, the standalone {@code --scene} and
     * {@code POST /_fakehs/v1/scene} load it back into a server of the same name with no such rooms yet (a fresh
     * one, or after {@link #reset()}), replaying each event through the append path, so its rooms, timelines,
     * state and users' profiles read the same there. Devices, tokens, typing, receipts, presence, account data
     * and media are not in it. A scene set up by hand (with a client, the console or the control API) becomes a
     * test fixture this way.
     *
     * <pre>{@code
     * String scene = hs.exportScene();
     * try (Homeserver fresh = Homeserver.builder().start()) {
     *     fresh.seedYaml(scene, "exported scene");
     *     assertThat(fresh.room(roomId).messages()).isEqualTo(hs.room(roomId).messages());
     * }
     * }</pre>
     */
    public String exportScene() {
        return engine.exportScene();
    }

    /**
     * Writes {@link #exportScene()} to {@code file}, replacing it only once the whole scene is written (a crash
     * mid-way leaves the old file).
     *
     * <pre>{@code
     * hs.exportScene(Path.of("src/test/resources/scenes/lobby.yaml"));
     * // later, in a test: Homeserver.builder().seedResource("scenes/lobby.yaml").start()
     * }</pre>
     */
    public Homeserver exportScene(Path file) {
        String scene = exportScene();
        try {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                Files.writeString(tmp, scene, StandardCharsets.UTF_8);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the scene to " + file + ": " + e.getMessage(), e);
        }
        return this;
    }

    // ---- reading what happened -------------------------------------------------------------------------------

    /** Snapshots of every room, in creation order. */
    public List<RoomView> rooms() {
        return engine.rooms();
    }

    /**
     * A snapshot of a room by id or local alias.
     *
     * @throws NoSuchElementException when there is no such room (the message lists the rooms there are)
     */
    public RoomView room(String roomIdOrAlias) {
        return findRoom(roomIdOrAlias).orElseThrow(() -> new NoSuchElementException("No room " + roomIdOrAlias
                + "; rooms: " + rooms()));
    }

    /**
     * Whether there is a room with this id or local alias; unlike {@link #findRoom(String)} it copies nothing, so
     * it is cheap however long the room's timeline.
     *
     * <pre>{@code
     * assertThat(hs.hasRoom("#lobby:test")).isTrue();
     * }</pre>
     */
    public boolean hasRoom(String roomIdOrAlias) {
        return engine.hasRoom(roomIdOrAlias);
    }

    /** A snapshot of a room by id or local alias, if there is one. */
    public Optional<RoomView> findRoom(String roomIdOrAlias) {
        return engine.room(roomIdOrAlias);
    }

    /** Snapshots of every user the fake knows (registered, created by tests, or remote). */
    public List<UserView> users() {
        return engine.users();
    }

    /** A snapshot of a user, if the fake knows it; unlike {@link #user(String)} it never creates one. */
    public Optional<UserView> findUser(String userId) {
        return engine.user(userId);
    }

    /** A snapshot of an event by id, if there is one. */
    public Optional<EventView> event(String eventId) {
        return engine.event(eventId);
    }

    /**
     * Waits until nothing is queued for the appservice and no request to it is open: everything pushed so far was
     * answered, so whatever the appservice did in reaction has reached the fake. Call it before stopping an
     * appservice at the end of a test, so that none of its late calls lands in the next test.
     *
     * <pre>{@code
     * // in an @AfterEach method:
     * void stop_the_bot(Homeserver hs) {
     *     hs.awaitAppserviceIdle("weather", Duration.ofSeconds(5));
     *     bot.close();
     * }
     * }</pre>
     *
     * @return whether it became idle in time (false when it is down, for example)
     */
    public boolean awaitAppserviceIdle(String appserviceId, Duration timeout) {
        return engine.awaitAppserviceIdle(appserviceId, timeout);
    }

    /**
     * Waits until {@code condition} holds: checks it at once, then again after every change of the rooms, users or
     * journal (never on a polling clock), up to {@code timeout}.
     *
     * <pre>{@code
     * boolean answered = hs.waitUntil(() -> hs.room(room).messages().size() > 1, Duration.ofSeconds(5));
     * }</pre>
     *
     * @return whether it held; false also when the thread was interrupted (the interrupt flag is kept)
     */
    public boolean waitUntil(BooleanSupplier condition, Duration timeout) {
        return engine.waitUntil(condition, timeout);
    }

    /**
     * {@link #waitUntil} without blocking the caller: the future completes with true as soon as {@code condition}
     * holds (checked at once, then after every change of the rooms, users or journals, on a thread of this
     * server, never on a polling clock), or with false once {@code timeout} has passed. No thread is held while
     * waiting, which is how the control API's {@code ?wait_ms=} forms wait. At most 256 waits are pending per
     * server; closing the server completes the pending ones with false.
     *
     * <pre>{@code
     * hs.waitUntilAsync(() -> hs.room(room).messages().size() > 1, Duration.ofSeconds(5))
     *         .thenAccept(answered -> log.info("the bot answered: {}", answered));
     * }</pre>
     *
     * @throws IllegalStateException when 256 waits are already pending
     */
    public CompletableFuture<Boolean> waitUntilAsync(BooleanSupplier condition, Duration timeout) {
        Objects.requireNonNull(condition);
        return waiters.until(condition, Objects.requireNonNull(timeout));
    }

    /** How long assertions' {@code eventually()} waits unless told otherwise (5 s unless configured). */
    public Duration defaultWait() {
        return engine.defaultWait();
    }

    // ---- violations and faults ---------------------------------------------------------------------------------

    /**
     * The requests the fake refused since start or the last reset (status 400 or more), oldest first, except the
     * failures injected with {@link #faults()}, and (unless {@link HomeserverBuilder#userInUseIsViolation(boolean)}
     * says otherwise) an appservice's {@code M_USER_IN_USE} for a user of its own namespace, a registration retry.
     */
    public List<Violation> violations() {
        return engine.violations().all();
    }

    /** The violations neither expected ({@link #expectViolations()}) nor allowed ({@link #allowViolation}). */
    public List<Violation> unexpectedViolations() {
        return engine.violations().unexpected();
    }

    /** Declares that this test provokes refusals on purpose: none is unexpected until the next reset. */
    public void expectViolations() {
        engine.violations().expectAll();
    }

    /** Allows refusals with this errcode (such as {@code M_NOT_FOUND}) until the next reset. */
    public void allowViolation(String errcode) {
        Objects.requireNonNull(errcode);
        engine.violations().allow(v -> errcode.equals(v.errcode()));
    }

    /** Allows the refusals that match until the next reset. */
    public void allowViolation(Predicate<Violation> which) {
        engine.violations().allow(which);
    }

    /**
     * The fault rules of the client-server API, and the faults of requests to appservices; cleared by
     * {@link #reset()}.
     *
     * <pre>{@code
     * hs.faults().on("PUT", "/rooms/{roomId}/send/*").forUser("@weather_bob:test").times(2).respondLimitExceeded(1000);
     * hs.faults().appservice("weather").markDown();    // the fake sees the appservice as unreachable
     * }</pre>
     */
    public Faults faults() {
        return engine.faults();
    }

    /** Stops the server and frees its port and threads. */
    @Override
    public void close() {
        waiters.close();
        engine.close();
    }

    /** The waits pending on {@link #waitUntilAsync}, for this library's own tests. */
    int pendingWaits() {
        return waiters.pending();
    }

    /** The engine behind this facade, for this library's own tests (package-private: faces use the facade). */
    Engine engine() {
        return engine;
    }

    @Override
    public String toString() {
        return "Homeserver[" + serverName() + " at " + url() + "]";
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read seed file " + file + ": " + e.getMessage(), e);
        }
    }

    static String readResource(String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("No classpath resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read classpath resource " + resource, e);
        }
    }
}
