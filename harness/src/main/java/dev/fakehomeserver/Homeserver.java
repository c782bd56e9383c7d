package dev.fakehomeserver;

import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.faults.Faults;
import dev.fakehomeserver.internal.HomeserverCore;
import dev.fakehomeserver.internal.console.ConsoleHandler;
import dev.fakehomeserver.internal.console.ConsoleSessions;
import dev.fakehomeserver.internal.dsl.DslActor;
import dev.fakehomeserver.internal.dsl.FaultAdapter;
import dev.fakehomeserver.internal.dsl.SeedLoader;
import dev.fakehomeserver.internal.dsl.Snapshots;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.Options;
import dev.fakehomeserver.internal.push.DueTasks;
import dev.fakehomeserver.internal.push.PushSettings;
import dev.fakehomeserver.internal.registration.RegistrationLint;
import dev.fakehomeserver.internal.registration.RegistrationSetValidator;
import dev.fakehomeserver.journal.AppserviceStatus;
import dev.fakehomeserver.journal.Journal;
import dev.fakehomeserver.journal.TransactionJournal;
import dev.fakehomeserver.journal.Violation;
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
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
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
 */
public final class Homeserver implements AutoCloseable {
    private final HomeserverCore core;
    private final String serverName;
    /** Appservice ids are checked when a test asks for their faults (a typo must not silently do nothing). */
    private final Faults faults = new Faults(this::appservice);
    private final Snapshots snapshots;
    private final List<SeedLoader.Seed> builderSeeds;
    private final Duration defaultWait;
    private volatile boolean violationsExpected;
    private final List<Predicate<Violation>> allowedViolations = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final boolean checkNamespaceConflicts;
    private final DueTasks dueTasks;
    private final Runnable clockListener;

    Homeserver(HomeserverBuilder b) {
        this.serverName = b.serverName;
        RegistrationSetValidator.validate(b.registrations, b.serverName);
        this.checkNamespaceConflicts = b.checkNamespaceConflicts;
        if (b.checkNamespaceConflicts) {
            RegistrationSetValidator.checkNamespaceConflicts(b.registrations, b.serverName);
        }
        this.clock = b.clock;
        // A virtual clock drives retries itself: advancing it runs the due ones (no thread waits on it).
        this.dueTasks = clock instanceof VirtualClock ? new DueTasks(clock::millis) : null;
        this.core = new HomeserverCore(b.serverName, b.bindAddress, b.port, List.copyOf(b.registrations),
                new Options(b.openRegistration, b.requireExclusiveUserNamespace, b.checkNamespaceConflicts,
                        b.maxEventBytes, b.maxUploadBytes, b.rateLimit),
                clock::millis, new PushSettings(b.pushAuthHeader, b.pushAuthQuery, b.appserviceTimeout, dueTasks));
        if (clock instanceof VirtualClock vc) {
            DueTasks due = dueTasks;
            this.clockListener = due::fireDue;
            vc.addListener(clockListener);
        } else {
            this.clockListener = null;
        }
        core.requestLog(b.requestLog);
        core.push().log(b.transactionLog);
        this.snapshots = new Snapshots(core.model());
        this.builderSeeds = List.copyOf(b.seeds);
        this.defaultWait = b.defaultWait;
        core.handler().faults(new FaultAdapter(faults));
        core.push().faults(faults::decideOutbound);
        try {
            builderSeeds.forEach(this::apply);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (b.controlApi) {
            // Last: its operations call this facade, which is complete only now.
            core.enableControlApi(b.controlToken, this);
        }
    }

    /** Starts configuring a homeserver. */
    public static HomeserverBuilder builder() {
        return new HomeserverBuilder();
    }

    /** The base URL, such as {@code http://127.0.0.1:41234}, without a trailing slash. */
    public String url() {
        return core.url();
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
        synchronized (core) {
            if (!core.controlApiEnabled()) {
                core.enableControlApi(ConsoleSessions.randomSecret(), this);
            }
        }
        long millis = Math.max(1000, validFor.toMillis());
        return url() + ConsoleHandler.PREFIX + "#code=" + core.consoleSessions().mintCode(millis);
    }

    /** The port the server listens on. */
    public int port() {
        return core.port();
    }

    /** The server name: the part after {@code :} in user ids ({@code test} unless configured). */
    public String serverName() {
        return serverName;
    }

    /** The registrations loaded, with their current urls. */
    public List<Registration> registrations() {
        List<Registration> out = new ArrayList<>();
        for (Appservice as : core.model().appservices()) {
            out.add(as.registration());
        }
        return out;
    }

    /** The registration with this id. */
    public Registration registration(String appserviceId) {
        return appservice(appserviceId).registration();
    }

    /**
     * Warnings about the loaded registrations that a real deployment would regret: a users regex that claims
     * every user, a regex without a server part or a trailing {@code $}, {@code rate_limited: false}, a url that
     * is not https, short or equal tokens. Never an error: the fake starts anyway.
     */
    public List<LintFinding> lint() {
        List<LintFinding> out = new ArrayList<>();
        for (Registration r : registrations()) {
            out.addAll(RegistrationLint.lint(r, serverName));
        }
        return out;
    }

    /**
     * Registers an appservice while the server runs, as the hosting platform's dashboard does: validated with the
     * same checks as at start (a repeated id or as_token, and overlapping exclusive namespaces unless
     * {@link HomeserverBuilder#checkNamespaceConflicts(boolean)} is off). It receives only events appended from now on.
     *
     * <pre>{@code
     * hs.addRegistration(Registration.builder("bridge").users("@bridge_.*:test", true).build());
     * }</pre>
     *
     * @throws RegistrationException when the registration clashes with a loaded one
     */
    public void addRegistration(Registration registration) {
        synchronized (core.model()) {
            List<Registration> all = new ArrayList<>(registrations());
            all.add(registration);
            RegistrationSetValidator.validate(all, serverName);
            if (checkNamespaceConflicts) {
                RegistrationSetValidator.checkNamespaceConflicts(all, serverName);
            }
            core.model().addAppservice(new Appservice(registration, serverName));
        }
    }

    /**
     * Removes an appservice, as the platform's dashboard does: its as_token stops working at once, nothing more is
     * pushed to it, and the users it created stay.
     *
     * @throws java.util.NoSuchElementException when no appservice has this id
     */
    public void removeRegistration(String appserviceId) {
        if (core.model().removeAppservice(appserviceId) == null) {
            throw new java.util.NoSuchElementException("No appservice with id '" + appserviceId + "'");
        }
    }

    /** Points an appservice at another url, typically the random port its test server got. */
    public void setAppserviceUrl(String appserviceId, String url) {
        appservice(appserviceId).url(url);
    }

    private Appservice appservice(String id) {
        Appservice as = core.model().appservice(id);
        if (as == null) {
            throw new IllegalArgumentException("No appservice with id '" + id + "'; loaded: "
                    + core.model().appservices().stream().map(Appservice::id).toList());
        }
        return as;
    }

    /** Every client-server request received since start or the last reset. */
    public Journal journal() {
        return core.journal();
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
        return core.push().journal();
    }

    /** The push state of an appservice: up or down, what waits, when the next retry is due. */
    public AppserviceStatus appserviceStatus(String appserviceId) {
        appservice(appserviceId);
        return core.push().status(appserviceId);
    }

    /**
     * Retries a down appservice's oldest transaction now instead of at its scheduled time, as a successful ping
     * does. Does nothing when the appservice is up or a request to it is in flight.
     */
    public void retryAppserviceNow(String appserviceId) {
        appservice(appserviceId);
        core.push().forceRetry(appserviceId);
    }

    /** The clock of this server: event timestamps and retry times (a {@link VirtualClock} in most tests). */
    public Clock clock() {
        return clock;
    }

    /**
     * Forgets users, rooms, events, aliases, media, journals, push queues and down states, fault rules and
     * violation allowances; keeps registrations, tokens and the port, then applies the builder's seeds again.
     * Clearing maps only, so it takes microseconds however much the test injected. A request to an appservice
     * still in flight is not cancelled, but its answer is ignored; txnIds keep counting.
     */
    public void reset() {
        core.reset();
        faults.clear();
        violationsExpected = false;
        allowedViolations.clear();
        builderSeeds.forEach(this::apply);
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
        return new DslActor(core.services(), Objects.requireNonNull(userId));
    }

    /** Applies a seed file of users and rooms (see {@link HomeserverBuilder#seed(Path)} for the format). */
    public Homeserver seed(Path file) {
        apply(SeedLoader.parse(read(file), file.toString()));
        return this;
    }

    /** Applies a seed from a classpath resource. */
    public Homeserver seedResource(String resource) {
        apply(SeedLoader.parse(readResource(resource), "classpath:" + resource));
        return this;
    }

    /** Applies a seed given as YAML text; {@code sourceName} names it in error messages. */
    public Homeserver seedYaml(String yaml, String sourceName) {
        apply(SeedLoader.parse(yaml, sourceName));
        return this;
    }

    private void apply(SeedLoader.Seed seed) {
        SeedLoader.apply(seed, id -> new DslActor(core.services(), id));
    }

    // ---- reading what happened -------------------------------------------------------------------------------

    /** Snapshots of every room, in creation order. */
    public List<RoomView> rooms() {
        return snapshots.rooms();
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

    /** A snapshot of a room by id or local alias, if there is one. */
    public Optional<RoomView> findRoom(String roomIdOrAlias) {
        return snapshots.room(roomIdOrAlias);
    }

    /** Snapshots of every user the fake knows (registered, created by tests, or remote). */
    public List<UserView> users() {
        return snapshots.users();
    }

    /** A snapshot of a user, if the fake knows it; unlike {@link #user(String)} it never creates one. */
    public Optional<UserView> findUser(String userId) {
        return snapshots.user(userId);
    }

    /** A snapshot of an event by id, if there is one. */
    public Optional<EventView> event(String eventId) {
        return snapshots.event(eventId);
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
        appservice(appserviceId);
        return waitUntil(() -> {
            AppserviceStatus st = core.push().status(appserviceId);
            return !st.down() && !st.inFlight() && st.queuedTransactions() == 0 && st.queuedEvents() == 0;
        }, timeout);
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
        try {
            return core.model().signal().await(condition, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How long assertions' {@code eventually()} waits unless told otherwise (5 s unless configured). */
    public Duration defaultWait() {
        return defaultWait;
    }

    // ---- violations and faults ---------------------------------------------------------------------------------

    /**
     * The requests the fake refused since start or the last reset (status 400 or more), oldest first, except the
     * failures injected with {@link #faults()}.
     */
    public List<Violation> violations() {
        return journal().requests(Violation::isViolation).stream().map(Violation::new).toList();
    }

    /** The violations neither expected ({@link #expectViolations()}) nor allowed ({@link #allowViolation}). */
    public List<Violation> unexpectedViolations() {
        if (violationsExpected) {
            return List.of();
        }
        return violations().stream().filter(v -> allowedViolations.stream().noneMatch(p -> p.test(v))).toList();
    }

    /** Declares that this test provokes refusals on purpose: none is unexpected until the next reset. */
    public void expectViolations() {
        violationsExpected = true;
    }

    /** Allows refusals with this errcode (such as {@code M_NOT_FOUND}) until the next reset. */
    public void allowViolation(String errcode) {
        Objects.requireNonNull(errcode);
        allowedViolations.add(v -> errcode.equals(v.errcode()));
    }

    /** Allows the refusals that match until the next reset. */
    public void allowViolation(Predicate<Violation> which) {
        allowedViolations.add(Objects.requireNonNull(which));
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
        return faults;
    }

    /** Stops the server and frees its port and threads. */
    @Override
    public void close() {
        core.close();
        if (clockListener != null) {
            ((VirtualClock) clock).removeListener(clockListener);
            dueTasks.close();
        }
    }

    /** Exposes the engine to the other faces in this library (JUnit, standalone); not for users. */
    HomeserverCore core() {
        return core;
    }

    @Override
    public String toString() {
        return "Homeserver[" + serverName + " at " + url() + "]";
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
