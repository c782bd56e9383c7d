package dev.fakehomeserver;

import dev.fakehomeserver.internal.HomeserverCore;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.Options;
import dev.fakehomeserver.internal.push.DueTasks;
import dev.fakehomeserver.internal.push.PushSettings;
import dev.fakehomeserver.journal.AppserviceStatus;
import dev.fakehomeserver.journal.Journal;
import dev.fakehomeserver.journal.TransactionJournal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
    private final Clock clock;
    private final DueTasks dueTasks;
    private final Runnable clockListener;

    private Homeserver(Builder b) {
        this.serverName = b.serverName;
        this.clock = b.clock;
        // A virtual clock drives retries itself: advancing it runs the due ones (no thread waits on it).
        this.dueTasks = clock instanceof VirtualClock ? new DueTasks(clock::millis) : null;
        this.core = new HomeserverCore(b.serverName, b.bindAddress, b.port, List.copyOf(b.registrations),
                new Options(b.openRegistration, b.requireExclusiveUserNamespace, b.checkNamespaceConflicts,
                        b.maxEventBytes),
                clock::millis, new PushSettings(b.pushAuthHeader, b.pushAuthQuery, b.appserviceTimeout, dueTasks));
        if (clock instanceof VirtualClock vc) {
            DueTasks due = dueTasks;
            this.clockListener = due::fireDue;
            vc.addListener(clockListener);
        } else {
            this.clockListener = null;
        }
    }

    /** Starts configuring a homeserver. */
    public static Builder builder() {
        return new Builder();
    }

    /** The base URL, such as {@code http://127.0.0.1:41234}, without a trailing slash. */
    public String url() {
        return core.url();
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
     * Forgets users, rooms, events, aliases, media and journals; keeps registrations, tokens and the port. Push
     * queues, down states and the transaction journal are forgotten too. A request to an appservice still in
     * flight is not cancelled, but its answer is ignored and not journaled; txnIds keep counting.
     */
    public void reset() {
        core.reset();
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

    /**
     * Configures a {@link Homeserver}. Every switch defaults to what a real Synapse with the hosting platform's
     * rules does, except open registration, which is on so tests can register ordinary users.
     */
    public static final class Builder {
        private String serverName = "test";
        private String bindAddress = "127.0.0.1";
        private int port;
        private final List<Registration> registrations = new ArrayList<>();
        private boolean openRegistration = true;
        private boolean requireExclusiveUserNamespace = true;
        private boolean checkNamespaceConflicts = true;
        private int maxEventBytes = 65536;
        private Clock clock = Clock.systemUTC();
        private boolean pushAuthHeader = true;
        private boolean pushAuthQuery = true;
        private Duration appserviceTimeout = Duration.ofSeconds(60);

        private Builder() {}

        /**
         * The clock for event timestamps and appservice retries (default: the system clock). With a
         * {@link VirtualClock}, retries fire when the test advances it, never by themselves.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * How requests to appservices carry the hs_token (default: both). {@code header} sends
         * {@code Authorization: Bearer <hs_token>}; {@code queryParameter} adds {@code ?access_token=<hs_token>},
         * which the hosting platform documents. Synapse 1.90 and later send the header only (the query parameter
         * needs {@code use_appservice_legacy_authorization}): turn the query parameter off to test an appservice
         * against that. Ping always uses the header alone, as Synapse does.
         */
        public Builder pushAuth(boolean header, boolean queryParameter) {
            if (!header && !queryParameter) {
                throw new IllegalArgumentException("An appservice request needs the header, the query parameter, or both");
            }
            this.pushAuthHeader = header;
            this.pushAuthQuery = queryParameter;
            return this;
        }

        /** How long to wait for an appservice's response before counting a failure (default 60 s, as Synapse). */
        public Builder appserviceTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("The appservice timeout must be positive, got " + timeout);
            }
            this.appserviceTimeout = timeout;
            return this;
        }

        /** The server name (default {@code test}). */
        public Builder serverName(String name) {
            this.serverName = Objects.requireNonNull(name);
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The address to bind (default {@code 127.0.0.1}). */
        public Builder bindAddress(String address) {
            this.bindAddress = Objects.requireNonNull(address);
            return this;
        }

        /** Adds a registration. */
        public Builder registration(Registration registration) {
            registrations.add(Objects.requireNonNull(registration));
            return this;
        }

        /** Adds a registration file. */
        public Builder registration(Path file) {
            return registration(Registration.fromPath(file));
        }

        /** Adds a registration from a classpath resource. */
        public Builder registrationResource(String resource) {
            return registration(Registration.fromClasspath(resource));
        }

        /** Whether ordinary users may register with {@code m.login.dummy} (default true). */
        public Builder openRegistration(boolean open) {
            this.openRegistration = open;
            return this;
        }

        /**
         * The hosting platform's rule that an appservice creates users only inside an exclusive users namespace
         * (default true). Off, appservices may register any user their namespaces match, as Synapse allows.
         */
        public Builder requireExclusiveUserNamespace(boolean on) {
            this.requireExclusiveUserNamespace = on;
            return this;
        }

        /** The hosting platform's refusal of registrations whose exclusive namespaces overlap (default true). */
        public Builder checkNamespaceConflicts(boolean on) {
            this.checkNamespaceConflicts = on;
            return this;
        }

        /** The largest event accepted, in bytes of JSON (default 65536, as Synapse). */
        public Builder maxEventBytes(int bytes) {
            this.maxEventBytes = bytes;
            return this;
        }

        /** Validates the registrations and starts the server. */
        public Homeserver start() {
            return new Homeserver(this);
        }
    }
}
