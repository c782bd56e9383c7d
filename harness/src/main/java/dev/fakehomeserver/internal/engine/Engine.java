package dev.fakehomeserver.internal.engine;

import dev.fakehomeserver.LintFinding;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.coverage.Behaviour;
import dev.fakehomeserver.coverage.Coverage;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.faults.Faults;
import dev.fakehomeserver.internal.auth.Authenticator;
import dev.fakehomeserver.internal.dsl.DslActor;
import dev.fakehomeserver.internal.dsl.SceneWriter;
import dev.fakehomeserver.internal.dsl.SeedLoader;
import dev.fakehomeserver.internal.dsl.Snapshots;
import dev.fakehomeserver.internal.http.ClientApiHandler;
import dev.fakehomeserver.internal.http.ClientApiRoutes;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Ids;
import dev.fakehomeserver.internal.model.Options;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.platform.HostedPlatform;
import dev.fakehomeserver.internal.platform.PlatformDashboard;
import dev.fakehomeserver.internal.push.DueTasks;
import dev.fakehomeserver.internal.push.PushHub;
import dev.fakehomeserver.internal.push.PushSettings;
import dev.fakehomeserver.internal.push.ScheduledTime;
import dev.fakehomeserver.internal.push.TimeSource;
import dev.fakehomeserver.internal.registration.RegistrationLint;
import dev.fakehomeserver.internal.registration.RegistrationSetValidator;
import dev.fakehomeserver.internal.faults.FaultBook;
import dev.fakehomeserver.internal.journal.CoverageLog;
import dev.fakehomeserver.internal.journal.RequestLog;
import dev.fakehomeserver.journal.AppserviceStatus;
import dev.fakehomeserver.journal.Journal;
import dev.fakehomeserver.journal.TransactionJournal;
import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.RoomView;
import dev.fakehomeserver.view.UserView;
import io.undertow.server.HttpHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/**
 * The one engine behind the public {@code Homeserver} facade: it owns all state (model and its services, the
 * request journal, the pushers and their journal, fault rules, the violation policy, seeds, the clock and its
 * listener, due tasks) and the Undertow listener. The facade delegates to it; faces (the control API, the CLI,
 * JUnit) use the facade, never this class. It knows nothing of the control API: the facade
 * {@link #mount(HttpHandler) mounts} whatever answers under {@code /_fakehs/}.
 *
 * <p>Threads: the listener's one IO thread (see {@link HttpServer}), and one daemon scheduler that serves
 * delayed faults and, on a real clock, appservice retries; with a virtual clock retries are due tasks run
 * when the test advances it.
 */
public final class Engine implements AutoCloseable {
    private final EngineConfig config;
    private final String serverName;
    private final HomeserverModel model;
    private final Services services;
    private final RequestLog journal;
    private final ClientApiHandler handler;
    private final ScheduledExecutorService scheduler;
    private final PushHub push;
    private final HttpServer http;
    /** Appservice ids are checked when a test asks for their faults (a typo must not silently do nothing). */
    private final FaultBook faults = new FaultBook(this::appservice);
    private final ViolationPolicy violations;
    private final Snapshots snapshots;
    private final DueTasks dueTasks;
    /** Counts the catalogue's behaviours per appservice; never cleared (a reset is one of them). */
    private final CoverageLog coverage;
    /** Stops the due tasks hearing the virtual clock; null on a real clock. */
    private final Runnable unsubscribeClock;
    /** The hosting platform's rules, or null when they are off. */
    private final HostedPlatform platform;
    /** The platform's dashboard, or null when its rules are off. */
    private final PlatformDashboard dashboard;

    /** Validates the registrations, starts listening and applies the seeds; nothing runs if one fails. */
    public Engine(EngineConfig c) {
        this.config = c;
        this.serverName = c.serverName();
        Options options = c.options();
        this.platform = c.platform() == null ? null : new HostedPlatform(c.platform(), serverName);
        List<Registration> initial = platform == null ? c.registrations() : platform.withBridges(c.registrations());
        checkRegistrationSet(initial);
        Clock clock = c.clock();
        // A virtual clock drives retries itself: advancing it runs the due ones (no thread waits on it).
        this.dueTasks = c.clockTicks() != null ? new DueTasks(clock::millis) : null;
        this.model = new HomeserverModel(serverName, clock::millis, Ids.seeded(c.randomSeed(), c.seedFixed()));
        this.services = Services.create(model, options);
        for (Registration r : initial) {
            model.addAppservice(new Appservice(r, serverName));
        }
        this.journal = new RequestLog(model.signal()::bump);
        this.coverage = new CoverageLog(id -> {
            Appservice as = model.appservice(id);
            return as == null ? null : as.senderUserId();
        });
        journal.observe(coverage::request);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-homeserver-scheduler-" + serverName);
            t.setDaemon(true);
            return t;
        });
        TimeSource time = dueTasks != null ? dueTasks : new ScheduledTime(clock::millis, scheduler);
        this.dashboard = platform == null ? null : new PlatformDashboard(platform, dashboardHost(time), c.hostResolver());
        this.push = new PushHub(model, new PushSettings(c.pushAuthHeader(), c.pushAuthQuery(),
                c.appserviceTimeout(), dueTasks), time, coverage);
        services.appserviceCalls().set(push.calls());
        // Typing, receipts and presence reach the pushers the way events do: one listener, interest filtered there.
        model.ephemeral().addListener(change -> push.enqueueEphemeral(change.event()));
        this.handler = new ClientApiHandler(ClientApiRoutes.build(services), new Authenticator(model), journal,
                clock::millis, scheduler);
        handler.faults(faults);
        if (dashboard != null) {
            handler.unavailableWhen(dashboard::unavailable);
        }
        push.faults(faults);
        faults.onResume(push::resume);
        push.log(c.transactionLog());
        this.violations = new ViolationPolicy(journal, c.userInUseIsViolation() ? null : this::registrationOrNull,
                serverName);
        this.snapshots = new Snapshots(model);
        this.http = new HttpServer(c.bindHost(), c.port(),
                Math.max(options.maxUploadBytes(), ClientApiHandler.MAX_JSON_BODY_BYTES), c.connectionLimits(), handler,
                c.https());
        http.requestLog(c.requestLog());
        DueTasks due = dueTasks;
        this.unsubscribeClock = due == null ? null : c.clockTicks().apply(due::fireDue);
        try {
            c.seeds().forEach(this::applySeed);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Answers every path under {@code /_fakehs/} with {@code handler} (the facade mounts the control API). */
    public void mount(HttpHandler extraHandler) {
        http.mount(extraHandler);
    }

    public String serverName() { return serverName; }
    public String url() { return http.url(); }
    /** The TLS listener's url, or null when the server has none. */
    public String httpsUrl() { return http.httpsUrl(); }
    public int port() { return http.port(); }
    public Clock clock() { return config.clock(); }
    public Duration defaultWait() { return config.defaultWait(); }
    public HomeserverModel model() { return model; }
    public Services services() { return services; }
    public Journal journal() { return journal; }
    public PushHub push() { return push; }
    public ClientApiHandler handler() { return handler; }
    public ScheduledExecutorService scheduler() { return scheduler; }
    public Faults faults() { return faults; }
    public ViolationPolicy violations() { return violations; }

    // ---- registrations -----------------------------------------------------------------------------------------

    public List<Registration> registrations() {
        return model.appservices().stream().map(Appservice::registration).toList();
    }

    /** The platform's rules, or null when they are off. */
    public HostedPlatform platform() {
        return platform;
    }

    /** The platform's dashboard, or null when its rules are off. */
    public PlatformDashboard dashboard() {
        return dashboard;
    }

    /** What the dashboard does through the engine: the same adds and removes as the facade's, on this clock. */
    private PlatformDashboard.Host dashboardHost(TimeSource time) {
        return new PlatformDashboard.Host() {
            @Override
            public long nowMillis() {
                return time.nowMillis();
            }

            @Override
            public Runnable schedule(Runnable task, long delayMillis) {
                return time.schedule(task, delayMillis)::cancel;
            }

            @Override
            public void add(Registration registration) {
                addRegistration(registration);
            }

            @Override
            public void remove(String appserviceId) {
                removeRegistration(appserviceId);
            }

            @Override
            public void holdPushes(boolean held) {
                push.hold(held);
            }

            @Override
            public TransactionJournal transactions() {
                return push.journal();
            }
        };
    }

    /**
     * Synapse's checks of a set of registrations, then the platform's (plan limit, namespace conflicts, always
     * on) or, without the platform, the namespace conflict check unless it is switched off.
     */
    private void checkRegistrationSet(List<Registration> all) {
        RegistrationSetValidator.validate(all, serverName);
        if (platform != null) {
            platform.check(all);
        } else if (config.options().checkNamespaceConflicts()) {
            RegistrationSetValidator.checkNamespaceConflicts(all, serverName);
        }
    }

    /** Warnings about every loaded registration but the platform's bridges; never an error. */
    public List<LintFinding> lint() {
        List<LintFinding> out = new ArrayList<>();
        for (Registration r : registrations()) {
            if (platform != null && platform.isBridge(r.id())) {
                continue;
            }
            out.addAll(RegistrationLint.lint(r, serverName));
            if (platform != null) {
                out.addAll(platform.lint(r));
            }
        }
        return out;
    }

    /** Validated with the start checks against the loaded set, under the model's lock so two adds cannot race. */
    public void addRegistration(Registration registration) {
        model.write(() -> {
            List<Registration> all = new ArrayList<>(registrations());
            all.add(registration);
            checkRegistrationSet(all);
            model.addAppservice(new Appservice(registration, serverName));
        });
    }

    public void removeRegistration(String appserviceId) {
        if (platform != null && model.appservice(appserviceId) != null) {
            platform.checkRemovable(appserviceId);
        }
        Appservice removed = model.removeAppservice(appserviceId);
        if (removed == null) {
            throw new NoSuchElementException("No appservice with id '" + appserviceId + "'");
        }
        push.removed(removed);
    }

    private Registration registrationOrNull(String appserviceId) {
        Appservice as = model.appservice(appserviceId);
        return as == null ? null : as.registration();
    }

    /**
     * The appservice with this id.
     *
     * @throws IllegalArgumentException naming the loaded ids when there is none
     */
    public Appservice appservice(String id) {
        Appservice as = model.appservice(id);
        if (as == null) {
            throw new IllegalArgumentException("No appservice with id '" + id + "'; loaded: "
                    + model.appservices().stream().map(Appservice::id).toList());
        }
        return as;
    }

    // ---- pushing to appservices ----------------------------------------------------------------------------------

    public TransactionJournal transactions() {
        return push.journal();
    }

    public AppserviceStatus appserviceStatus(String appserviceId) {
        appservice(appserviceId);
        return push.status(appserviceId);
    }

    public void retryAppserviceNow(String appserviceId) {
        appservice(appserviceId);
        push.forceRetry(appserviceId);
    }

    /** Whether nothing is queued for the appservice and no request to it is open, waiting up to {@code timeout}. */
    public boolean awaitAppserviceIdle(String appserviceId, Duration timeout) {
        appservice(appserviceId);
        return waitUntil(() -> {
            AppserviceStatus st = push.status(appserviceId);
            return !st.down() && !st.inFlight() && st.queuedTransactions() == 0 && st.queuedEvents() == 0
                    && st.queuedEphemeral() == 0;
        }, timeout);
    }

    // ---- coverage ----------------------------------------------------------------------------------------------

    /** What the catalogue's behaviours this server made happen, per appservice, since it started. */
    public Coverage coverage() {
        // The platform's managed bridges are not the test's appservices: listed only once something happened to them.
        return coverage.snapshot(model.appservices().stream().map(Appservice::id)
                .filter(id -> platform == null || !platform.isBridge(id)).toList());
    }

    /** Counts a behaviour the engine cannot see (a face's forged push, the conformance kit's auth checks). */
    public void recordBehaviour(String appserviceId, Behaviour behaviour) {
        appservice(appserviceId);
        coverage.saw(appserviceId, behaviour);
    }

    // ---- scenes: actors, seeds, snapshots -----------------------------------------------------------------------

    /** An actor for this user, created when missing. */
    public Actor actor(String userId) {
        return new DslActor(services, userId);
    }

    public void applySeed(SeedLoader.Seed seed) {
        SeedLoader.apply(seed, model.serverName(), model.ids(), id -> new DslActor(services, id));
    }

    /** The users and rooms with their whole history as a scene file ({@link SceneWriter}). */
    public String exportScene() {
        return SceneWriter.write(model.serverName(), clock().instant(), users(), rooms());
    }

    /** Whether a room with this id or local alias exists, without copying it. */
    public boolean hasRoom(String roomIdOrAlias) {
        return model.read(() -> {
            String id = roomIdOrAlias.startsWith("#") ? model.roomForAlias(roomIdOrAlias) : roomIdOrAlias;
            return id != null && model.room(id) != null;
        });
    }

    public List<RoomView> rooms() { return snapshots.rooms(); }
    public Optional<RoomView> room(String roomIdOrAlias) { return snapshots.room(roomIdOrAlias); }
    public List<UserView> users() { return snapshots.users(); }
    public Optional<UserView> user(String userId) { return snapshots.user(userId); }
    public Optional<EventView> event(String eventId) { return snapshots.event(eventId); }

    /** Checks {@code condition} at once and after every change of the model or journals; false on interrupt. */
    public boolean waitUntil(BooleanSupplier condition, Duration timeout) {
        try {
            return model.signal().await(condition, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    /**
     * Forgets users, rooms, events, journals, push queues, fault rules and violation allowances (registrations,
     * tokens and the port stay), then applies the seeds again. See {@link PushHub} on requests in flight.
     */
    public void reset() {
        for (Appservice as : model.appservices()) {
            coverage.saw(as.id(), Behaviour.RESET);
        }
        model.reset();
        journal.clear();
        push.reset();
        faults.clear();
        violations.clear();
        if (dashboard != null) {
            dashboard.reset();
        }
        config.seeds().forEach(this::applySeed);
    }

    /** Stops the listener, the pushers and the threads. */
    @Override
    public void close() {
        push.close();
        http.stop();
        scheduler.shutdownNow();
        if (unsubscribeClock != null) {
            unsubscribeClock.run();
            dueTasks.close();
        }
    }
}
