package dev.fakehomeserver.internal;

import dev.fakehomeserver.Registration;
import dev.fakehomeserver.internal.auth.Authenticator;
import dev.fakehomeserver.internal.http.ClientApiHandler;
import dev.fakehomeserver.internal.http.ClientApiRoutes;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Options;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.push.PushHub;
import dev.fakehomeserver.internal.push.PushSettings;
import dev.fakehomeserver.internal.push.ScheduledTime;
import dev.fakehomeserver.internal.push.TimeSource;
import dev.fakehomeserver.journal.Journal;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * The engine behind the public {@code Homeserver} facade: model, services, journal and the Undertow server.
 *
 * <p>Threads: one Undertow IO thread does all request work (handlers never block: the model is in memory and
 * calls out to the appservice are asynchronous), the worker pool is sized minimally and is never dispatched
 * to, and one daemon scheduler serves delayed faults. That keeps an idle server at a couple of threads, so a
 * parallel suite can run hundreds.
 */
public final class HomeserverCore {
    /** Room above the largest media upload for the biggest JSON body: bodies are bounded by the upload limit. */
    private static final long BODY_SLACK_BYTES = 1024 * 1024;
    /** Request line plus headers; a long filter in the query string fits, a runaway header does not. */
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_HEADERS = 100;
    /** Undertow and XNIO log at INFO on every start and stop; a suite starts hundreds of servers. */
    private static final java.util.List<java.util.logging.Logger> QUIET = java.util.stream.Stream
            .of("io.undertow", "org.xnio", "org.jboss.threads")
            .map(java.util.logging.Logger::getLogger)
            .peek(l -> l.setLevel(java.util.logging.Level.WARNING))
            .toList();

    private final HomeserverModel model;
    private final Services services;
    private final Journal journal;
    private final ClientApiHandler handler;
    private final ScheduledExecutorService scheduler;
    private final Undertow undertow;
    private final String host;
    private final int port;
    private final PushHub push;
    /** The control API's handler, or null while it is off (the embedded default). */
    private volatile HttpHandler control;
    private final dev.fakehomeserver.internal.console.ConsoleSessions consoleSessions =
            new dev.fakehomeserver.internal.console.ConsoleSessions(System::currentTimeMillis);
    /** Receives one line per answered request ({@code --verbose}), or null. */
    private volatile java.util.function.Consumer<String> requestLog;

    public HomeserverCore(String serverName, String bindHost, int requestedPort, List<Registration> registrations,
                          Options options, LongSupplier nowMillis) {
        this(serverName, bindHost, requestedPort, registrations, options, nowMillis, PushSettings.defaults());
    }

    /**
     * @param nowMillis the clock of {@code origin_server_ts} and journals; with a virtual clock in
     *     {@code push.time()}, the same clock
     * @param push how appservices are pushed to; its {@code time} (virtual tasks) or else the scheduler below
     *     on {@code nowMillis} drives the retries
     */
    public HomeserverCore(String serverName, String bindHost, int requestedPort, List<Registration> registrations,
                          Options options, LongSupplier nowMillis, PushSettings push) {
        this.model = new HomeserverModel(serverName, nowMillis);
        this.services = Services.create(model, options);
        for (Registration r : registrations) {
            model.addAppservice(new Appservice(r, serverName));
        }
        this.journal = new Journal(model.signal()::bump);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-homeserver-scheduler-" + serverName);
            t.setDaemon(true);
            return t;
        });
        TimeSource time = push.time() != null ? push.time()
                : new ScheduledTime(nowMillis, scheduler);
        this.push = new PushHub(model, push, time);
        services.appserviceCalls().set(this.push.calls());
        // Typing, receipts and presence reach the pushers the way events do: one listener, interest filtered there.
        PushHub hub = this.push;
        model.ephemeral().addListener(change -> hub.enqueueEphemeral(change.event()));
        this.handler = new ClientApiHandler(ClientApiRoutes.build(services), new Authenticator(model), journal,
                nowMillis, scheduler);
        this.undertow = Undertow.builder()
                .addHttpListener(requestedPort, bindHost)
                .setIoThreads(1)
                .setWorkerThreads(1)
                .setWorkerOption(org.xnio.Options.THREAD_DAEMON, true)
                .setServerOption(UndertowOptions.DECODE_URL, false)
                // Larger bodies get 413 M_TOO_LARGE (ClientApiHandler); larger headers a bare 400 from Undertow.
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, options.maxUploadBytes() + BODY_SLACK_BYTES)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_BYTES)
                .setServerOption(UndertowOptions.MAX_HEADERS, MAX_HEADERS)
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, false)
                .setHandler(this::dispatch)
                .build();
        undertow.start();
        InetSocketAddress addr = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        this.host = bindHost;
        this.port = addr.getPort();
    }

    /** The control API beside the client API: its paths start with {@code /_fakehs/}, which Matrix never uses. */
    private void dispatch(HttpServerExchange ex) throws Exception {
        java.util.function.Consumer<String> log = requestLog;
        if (log != null) {
            // The path only: tokens travel in the query string and must not reach a log.
            ex.addExchangeCompleteListener((e, next) -> {
                log.accept(e.getRequestMethod() + " " + e.getRequestURI() + " -> " + e.getStatusCode());
                next.proceed();
            });
        }
        HttpHandler c = control;
        if (c != null && ex.getRequestPath().startsWith(dev.fakehomeserver.internal.control.ControlApiHandler.PREFIX)) {
            c.handleRequest(ex);
        } else {
            handler.handleRequest(ex);
        }
    }

    /**
     * Turns the control API on; with a null token it needs none. Its operations call {@code facade} where it
     * has them, so the control API and the in-process API cannot drift apart.
     */
    public void enableControlApi(String tokenOrNull, dev.fakehomeserver.Homeserver facade) {
        // The console's pages stand in front: they are served exactly where the control API is.
        this.control = new dev.fakehomeserver.internal.console.ConsoleHandler(
                new dev.fakehomeserver.internal.control.ControlApiHandler(
                        dev.fakehomeserver.internal.control.ControlApiRoutes.build(this, facade), tokenOrNull,
                        consoleSessions::accepts));
    }

    /** Whether {@link #enableControlApi} ran. */
    public boolean controlApiEnabled() {
        return control != null;
    }

    /** The console's one-time login codes and sessions, accepted by the control API as its token is. */
    public dev.fakehomeserver.internal.console.ConsoleSessions consoleSessions() {
        return consoleSessions;
    }

    /** Sends one line per answered request to {@code sink} (null: none). */
    public void requestLog(java.util.function.Consumer<String> sink) {
        this.requestLog = sink;
    }

    public HomeserverModel model() { return model; }
    public Services services() { return services; }
    public Journal journal() { return journal; }
    public ClientApiHandler handler() { return handler; }
    public ScheduledExecutorService scheduler() { return scheduler; }
    public int port() { return port; }
    public PushHub push() { return push; }

    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port;
    }

    /** Also forgets push queues, down states and the transaction journal (see {@link PushHub} on requests in flight). */
    public void reset() {
        model.reset();
        journal.clear();
        push.reset();
    }

    public void close() {
        push.close();
        undertow.stop();
        scheduler.shutdownNow();
    }
}
