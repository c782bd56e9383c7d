package dev.fakehomeserver;

import dev.fakehomeserver.internal.HomeserverCore;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.Options;
import dev.fakehomeserver.journal.Journal;
import java.nio.file.Path;
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

    private Homeserver(Builder b) {
        this.serverName = b.serverName;
        this.core = new HomeserverCore(b.serverName, b.bindAddress, b.port, List.copyOf(b.registrations),
                new Options(b.openRegistration, b.requireExclusiveUserNamespace, b.checkNamespaceConflicts,
                        b.maxEventBytes),
                System::currentTimeMillis);
        if (b.controlApi) {
            core.enableControlApi(b.controlToken);
        }
        core.requestLog(b.requestLog);
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

    /** Forgets users, rooms, events, aliases, media and journals; keeps registrations, tokens and the port. */
    public void reset() {
        core.reset();
    }

    /** Stops the server and frees its port and threads. */
    @Override
    public void close() {
        core.close();
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
        private boolean controlApi;
        private String controlToken;
        private java.util.function.Consumer<String> requestLog;

        private Builder() {}

        /**
         * Turns on the control API under {@code /_fakehs/v1/} (off by default in process, where the test has the
         * {@code Homeserver} object itself). Requests must carry {@code Authorization: Bearer <token>}; a null
         * token turns the check off. See docs/standalone.md for the endpoints.
         *
         * <pre>{@code
         * Homeserver hs = Homeserver.builder().controlApi("s3cret").start();
         * // curl -H 'Authorization: Bearer s3cret' http://127.0.0.1:PORT/_fakehs/v1/rooms
         * }</pre>
         */
        public Builder controlApi(String tokenOrNull) {
            this.controlApi = true;
            this.controlToken = tokenOrNull;
            return this;
        }

        /** Receives one line per answered request, such as {@code GET /_matrix/client/versions -> 200}. */
        public Builder requestLog(java.util.function.Consumer<String> sink) {
            this.requestLog = sink;
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
