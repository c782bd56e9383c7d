package dev.fakehomeserver;

import dev.fakehomeserver.internal.model.Ids;
import dev.fakehomeserver.internal.dsl.SeedLoader;
import dev.fakehomeserver.internal.engine.EngineConfig;
import dev.fakehomeserver.internal.model.Options;
import dev.fakehomeserver.platform.HostResolver;
import dev.fakehomeserver.platform.Plan;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configures a {@link Homeserver}; {@link Homeserver#builder()} makes one. Every switch defaults to what a real
 * Synapse with the hosting platform's rules does, except open registration, which is on so tests can register
 * ordinary users.
 *
 * <pre>{@code
 * Homeserver hs = Homeserver.builder()
 *         .serverName("test")
 *         .registration(Path.of("registration.yaml"))
 *         .clock(new VirtualClock())
 *         .start();
 * }</pre>
 */
public final class HomeserverBuilder {
    String serverName = "test";
    String bindAddress = "127.0.0.1";
    int port;
    final List<Registration> registrations = new ArrayList<>();
    boolean openRegistration = true;
    boolean requireExclusiveUserNamespace = true;
    boolean checkNamespaceConflicts = true;
    boolean userInUseIsViolation;
    int maxEventBytes = 65536;
    long maxUploadBytes = Options.DEFAULT_MAX_UPLOAD_BYTES;
    long maxMediaBytes = Options.DEFAULT_MAX_MEDIA_BYTES;
    RateLimit rateLimit;
    String publicBaseUrl;
    EngineConfig.Https https;
    final List<SeedLoader.Seed> seeds = new ArrayList<>();
    Duration defaultWait = Duration.ofSeconds(5);
    Clock clock = Clock.systemUTC();
    /** Null: the system property {@link #SEED_PROPERTY}, else a seed drawn at random. */
    Long randomSeed;
    /** {@link #virtualClock()}: a virtual clock started from the seed, made when the seed is known. */
    boolean seededClock;
    boolean pushAuthHeader = true;
    boolean pushAuthQuery = true;
    Duration appserviceTimeout = Duration.ofSeconds(60);
    boolean controlApi;
    String controlToken;
    java.util.function.Consumer<String> requestLog;
    java.util.function.Consumer<dev.fakehomeserver.journal.RecordedTransaction> transactionLog;
    /** Not public: the defaults suit every use; tests shorten them to see a timeout without waiting 10 s. */
    dev.fakehomeserver.internal.engine.ConnectionLimits connectionLimits =
            dev.fakehomeserver.internal.engine.ConnectionLimits.DEFAULT;

    Plan platform;
    HostResolver hostResolver = HostResolver.SYSTEM;

    HomeserverBuilder() {}

    /**
     * Turns on the hosting platform's rules for this plan (docs/platform.md; off by default): the managed
     * Telegram, Slack and Discord bridges are registered, the plan's limit on custom appservices is enforced at
     * start and on every {@link Homeserver#addRegistration}, overlapping exclusive namespaces are always refused
     * (even with {@link #checkNamespaceConflicts(boolean)} off), and {@link Homeserver#dashboard()} registers and
     * removes as the platform's dashboard does.
     *
     * <pre>{@code
     * Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).registration(Path.of("weather.yaml")).start();
     * }</pre>
     */
    public HomeserverBuilder hostedPlatform(Plan plan) {
        this.platform = Objects.requireNonNull(plan, "plan");
        return this;
    }

    /**
     * How the platform's dashboard checks that a registration's url resolves (default: the system resolver).
     * Only used with {@link #hostedPlatform(Plan)}.
     */
    public HomeserverBuilder hostResolver(HostResolver resolver) {
        this.hostResolver = Objects.requireNonNull(resolver, "resolver");
        return this;
    }

    /**
     * The clock for event timestamps and appservice retries (default: the system clock). With a
     * {@link VirtualClock}, retries fire when the test advances it, never by themselves.
     */
    public HomeserverBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
        this.seededClock = false;
        return this;
    }

    /**
     * Runs the server on a {@link VirtualClock} of its own that starts at an instant drawn from the server's seed
     * ({@link VirtualClock#seeded(long)}), so a replay of the run has the same timestamps too; {@code hs.clock()}
     * is that clock. What {@code @FakeHomeserverConfig(virtualClock = true)} uses.
     *
     * <pre>{@code
     * Homeserver hs = Homeserver.builder().registration(reg).virtualClock().start();
     * VirtualClock clock = (VirtualClock) hs.clock();
     * }</pre>
     */
    public HomeserverBuilder virtualClock() {
        this.seededClock = true;
        return this;
    }

    /**
     * How requests to appservices carry the hs_token (default: both). {@code header} sends
     * {@code Authorization: Bearer <hs_token>}; {@code queryParameter} adds {@code ?access_token=<hs_token>},
     * which the hosting platform documents. Synapse 1.90 and later send the header only (the query parameter
     * needs {@code use_appservice_legacy_authorization}): turn the query parameter off to test an appservice
     * against that. Ping always uses the header alone, as Synapse does.
     */
    public HomeserverBuilder pushAuth(boolean header, boolean queryParameter) {
        if (!header && !queryParameter) {
            throw new IllegalArgumentException("An appservice request needs the header, the query parameter, or both");
        }
        this.pushAuthHeader = header;
        this.pushAuthQuery = queryParameter;
        return this;
    }

    /** How long to wait for an appservice's response before counting a failure (default 60 s, as Synapse). */
    public HomeserverBuilder appserviceTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("The appservice timeout must be positive, got " + timeout);
        }
        this.appserviceTimeout = timeout;
        return this;
    }

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
    public HomeserverBuilder controlApi(String tokenOrNull) {
        this.controlApi = true;
        this.controlToken = tokenOrNull;
        return this;
    }

    /** Receives one line per answered request, such as {@code GET /_matrix/client/versions -> 200}. */
    public HomeserverBuilder requestLog(java.util.function.Consumer<String> sink) {
        this.requestLog = sink;
        return this;
    }

    /**
     * Receives every request sent to an appservice as soon as it is answered (or failed), as
     * {@link Homeserver#transactions()} records it.
     *
     * <pre>{@code
     * Homeserver.builder().transactionLog(t -> System.out.println(t));   // #1 weather PUT /_matrix/app/v1/transactions/1 ...
     * }</pre>
     */
    public HomeserverBuilder transactionLog(java.util.function.Consumer<dev.fakehomeserver.journal.RecordedTransaction> sink) {
        this.transactionLog = sink;
        return this;
    }

    /** The server name (default {@code test}). */
    public HomeserverBuilder serverName(String name) {
        this.serverName = Objects.requireNonNull(name);
        return this;
    }

    /** The port to listen on; 0 (the default) picks a free one. */
    public HomeserverBuilder port(int port) {
        this.port = port;
        return this;
    }

    /** The address to bind (default {@code 127.0.0.1}). */
    public HomeserverBuilder bindAddress(String address) {
        this.bindAddress = Objects.requireNonNull(address);
        return this;
    }

    /** Adds a registration. */
    public HomeserverBuilder registration(Registration registration) {
        registrations.add(Objects.requireNonNull(registration));
        return this;
    }

    /** Adds a registration file. */
    public HomeserverBuilder registration(Path file) {
        return registration(Registration.fromPath(file));
    }

    /** Adds a registration from a classpath resource. */
    public HomeserverBuilder registrationResource(String resource) {
        return registration(Registration.fromClasspath(resource));
    }

    /** Adds a registration from YAML text, as a registration file holds it. */
    public HomeserverBuilder registrationYaml(String yaml) {
        return registration(Registration.fromYaml(yaml));
    }

    /**
     * Seeds users and rooms from a YAML file, applied at start and again after every {@code reset()}. A bad file
     * fails here, naming the file, the field and the line.
     *
     * <pre>{@code
     * users:
     *   - id: "@alice:test"
     *     displayname: Alice
     * rooms:
     *   - creator: "@alice:test"
     *     alias: lobby
     *     name: Lobby
     *     preset: public_chat
     *     members: ["@bob:elsewhere"]
     *     invite: ["@carol:test"]
     * }</pre>
     *
     * <p>A scene written by {@link Homeserver#exportScene()} is a seed too: its rooms carry their id, aliases and
     * whole history ({@code events}), replayed event by event with their ids and timestamps.
     */
    public HomeserverBuilder seed(Path file) {
        seeds.add(SeedLoader.parse(Homeserver.read(file), file.toString()));
        return this;
    }

    /** Seeds from a classpath resource; see {@link #seed(Path)}. */
    public HomeserverBuilder seedResource(String resource) {
        seeds.add(SeedLoader.parse(Homeserver.readResource(resource), "classpath:" + resource));
        return this;
    }

    /**
     * The system property that fixes the seed of every server whose builder did not:
     * {@code -Dfakehomeserver.seed=42}, what a failure message says to replay a run.
     */
    public static final String SEED_PROPERTY = "fakehomeserver.seed";

    /**
     * Fixes the seed every identifier of this server comes from: room, event, device and media ids, access tokens,
     * session and pagination tokens (txnIds and stream tokens are counters), so that the same test with the same
     * seed makes the same requests, pushes, journal and failure messages; with a {@link VirtualClock} at a fixed
     * start, timestamps are the same too. Without it the seed is the system property {@value #SEED_PROPERTY}, else
     * drawn at random, and every failure message ends with it ({@link Homeserver#replayHint()}).
     *
     * <p>A test setting only: with a fixed seed the access tokens follow it too and can be guessed by anyone who
     * knows the seed. With a seed drawn at random they come from {@code SecureRandom}, so a rerun with the printed
     * seed has the same ids but other tokens (no message shows a token).
     *
     * <pre>{@code
     * Homeserver hs = Homeserver.builder().registration(reg).randomSeed(42).start();   // the run of seed 42 again
     * }</pre>
     */
    public HomeserverBuilder randomSeed(long seed) {
        this.randomSeed = seed;
        return this;
    }

    /** How long assertions' {@code eventually()} waits by default (5 s). */
    public HomeserverBuilder defaultWait(Duration wait) {
        if (wait.isNegative()) {
            throw new IllegalArgumentException("negative wait " + wait);
        }
        this.defaultWait = wait;
        return this;
    }

    /** Whether ordinary users may register with {@code m.login.dummy} (default true). */
    public HomeserverBuilder openRegistration(boolean open) {
        this.openRegistration = open;
        return this;
    }

    /**
     * The hosting platform's rule that an appservice creates users only inside an exclusive users namespace
     * (default true). Off, appservices may register any user their namespaces match, as Synapse allows.
     */
    public HomeserverBuilder requireExclusiveUserNamespace(boolean on) {
        this.requireExclusiveUserNamespace = on;
        return this;
    }

    /** The hosting platform's refusal of registrations whose exclusive namespaces overlap (default true). */
    public HomeserverBuilder checkNamespaceConflicts(boolean on) {
        this.checkNamespaceConflicts = on;
        return this;
    }

    /**
     * Whether an appservice registering again a user of its own users namespace, and getting {@code 400
     * M_USER_IN_USE}, is a violation (default false). The usual "ensure the ghost is registered" code of
     * matrix-appservice-bridge and mautrix does exactly that after every restart and treats the refusal as
     * success, so by default it does not fail a test; {@code true} counts it like any other refusal. The
     * refusal itself is answered either way, as Synapse does.
     *
     * <pre>{@code
     * Homeserver.builder().registration(reg).userInUseIsViolation(true).start();
     * }</pre>
     */
    public HomeserverBuilder userInUseIsViolation(boolean on) {
        this.userInUseIsViolation = on;
        return this;
    }

    /** The largest event accepted, in bytes of JSON (default 65536, as Synapse). */
    public HomeserverBuilder maxEventBytes(int bytes) {
        this.maxEventBytes = bytes;
        return this;
    }

    /** The largest media upload accepted, in bytes (default 50 MiB, as Synapse); larger gets 413. */
    public HomeserverBuilder maxUploadBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxUploadBytes must not be negative, got " + bytes);
        }
        this.maxUploadBytes = bytes;
        return this;
    }

    /**
     * The budget for all stored media together, in bytes (default 512 MiB): media is kept in memory, so an
     * upload that would pass the budget gets 413 {@code M_TOO_LARGE} instead of filling the heap; a
     * {@link Homeserver#reset()} empties the store. Synapse has no such budget.
     *
     * <pre>{@code
     * Homeserver hs = Homeserver.builder().maxMediaBytes(64L * 1024 * 1024).start();
     * }</pre>
     */
    public HomeserverBuilder maxMediaBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxMediaBytes must not be negative, got " + bytes);
        }
        this.maxMediaBytes = bytes;
        return this;
    }

    /**
     * Turns on the message rate limiter (off by default, so tests never trip over it by accident). Then
     * sends, state events and redactions beyond the limit get 429 {@code M_LIMIT_EXCEEDED}, except for
     * appservice senders and appservices registered with {@code rate_limited: false}. Null turns it off.
     */
    public HomeserverBuilder rateLimiting(RateLimit limit) {
        this.rateLimit = limit;
        return this;
    }

    /**
     * Serves the same API over TLS too, on a second port of the same bind address (0 picks a free one), with
     * the certificate and key of {@code context}: for clients that speak only HTTPS (weechat-matrix). The plain
     * HTTP port stays, and {@link Homeserver#url()} names it; {@link Homeserver#httpsUrl()} names this one. The
     * standalone jar's {@code --tls} makes a self-signed certificate at start and prints its fingerprint.
     *
     * <pre>{@code
     * SSLContext tls = SSLContext.getInstance("TLS");
     * tls.init(keyManagerFactory.getKeyManagers(), null, null);
     * Homeserver hs = Homeserver.builder().https(0, tls).start();
     * String url = hs.httpsUrl().orElseThrow();
     * }</pre>
     */
    public HomeserverBuilder https(int port, javax.net.ssl.SSLContext context) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("https port must be between 0 and 65535, got " + port);
        }
        this.https = new EngineConfig.Https(port, Objects.requireNonNull(context, "context"));
        return this;
    }

    /**
     * The url clients should use, when a proxy or TLS terminator sits in front of the fake: {@code /login}
     * answers it in {@code well_known} and {@code GET /.well-known/matrix/client} serves it, as Synapse does
     * with {@code public_baseurl} (clients such as nheko follow it). By default both name the url the request
     * came to (its scheme and {@code Host} header), which is right when clients talk to the fake directly.
     * Only {@code http} and {@code https} urls without query or fragment are taken; a {@code /} is added at the
     * end when missing, as Synapse adds it.
     *
     * <pre>{@code
     * Homeserver hs = Homeserver.builder().publicBaseUrl("https://matrix.example.test").start();
     * }</pre>
     */
    public HomeserverBuilder publicBaseUrl(String url) {
        this.publicBaseUrl = url == null ? null : checkedBaseUrl(url);
        return this;
    }

    /** Synapse's checks of {@code public_baseurl} ({@code config/server.py}), with its messages. */
    static String checkedBaseUrl(String url) {
        java.net.URI u;
        try {
            u = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("Unable to parse URL: " + e.getMessage());
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
            throw new IllegalArgumentException("Invalid scheme '" + (u.getScheme() == null ? "" : u.getScheme())
                    + "': only https and http are supported");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new IllegalArgumentException("public_baseurl cannot contain query parameters or a #-fragment");
        }
        if (u.getHost() == null) {
            throw new IllegalArgumentException("Unable to parse URL: no host in '" + url + "'");
        }
        return url.endsWith("/") ? url : url + "/";
    }

    /** The options as the engine takes them. */
    EngineConfig engineConfig() {
        Long fixed = fixedSeed();
        long seed = fixed != null ? fixed : Ids.randomSeed();
        Clock clock = seededClock ? VirtualClock.seeded(seed) : this.clock;
        return new EngineConfig(serverName, bindAddress, port, registrations,
                new Options(openRegistration, requireExclusiveUserNamespace, checkNamespaceConflicts, maxEventBytes,
                        maxUploadBytes, rateLimit, maxMediaBytes, publicBaseUrl),
                clock, clock instanceof VirtualClock vc ? listener -> {
                    vc.addListener(listener);
                    return () -> vc.removeListener(listener);
                } : null, pushAuthHeader, pushAuthQuery, appserviceTimeout, userInUseIsViolation, seeds, defaultWait, requestLog, transactionLog,
                connectionLimits, platform, hostResolver, seed, fixed != null, https);
    }

    /** The builder's seed, else the system property's, else null (a seed drawn at random). */
    private Long fixedSeed() {
        if (randomSeed != null) {
            return randomSeed;
        }
        String v = System.getProperty(SEED_PROPERTY);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + "=" + v + " is not a seed: give a whole number"
                    + " such as 42 (what a failure message prints)");
        }
    }

    /** Validates the registrations and starts the server. */
    public Homeserver start() {
        return new Homeserver(this);
    }
}
