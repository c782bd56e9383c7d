package dev.fakehomeserver.junit5;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.HomeserverBuilder;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.coverage.Coverage;
import dev.fakehomeserver.expect.Expectation;
import dev.fakehomeserver.platform.Plan;
import dev.fakehomeserver.journal.Violation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension: a fake homeserver per test class (reset before each test) or per test method, injected
 * as a {@link Homeserver} parameter into tests, constructors and lifecycle methods. Two declaration styles:
 *
 * <pre>{@code
 * @ExtendWith(FakeHomeserver.class)
 * @FakeHomeserverConfig(registrations = "classpath:weather.yaml")
 * class WeatherBotTest {
 *     @Test
 *     void says_the_weather(Homeserver hs) {
 *         hs.user("@alice:test").send(room, "!weather Paris");
 *         assertThat(hs).eventually().room(room).timeline().containsMessageFrom("@weather_paris:test", "Paris: sunny");
 *     }
 * }
 *
 * class WeatherBotTest {
 *     @RegisterExtension
 *     static FakeHomeserver fake = FakeHomeserver.builder()
 *             .registration(Registration.builder("weather").users("@weather_.*:test", true).build())
 *             .configure(b -> b.seedResource("lobby.yaml"))
 *             .build();
 * }
 * }</pre>
 *
 * <p>The extension object holds only immutable configuration; the running server lives in JUnit's
 * {@code ExtensionContext.Store} of the context that owns it, so JUnit closes it, {@code @Nested} classes find
 * the outer server through the store's parent lookup, and parallel classes each get their own server and port.
 * By default a test fails in {@code afterEach} when the fake refused requests it did not expect (see
 * {@link Homeserver#expectViolations()} and {@link Homeserver#allowViolation(String)}). With a virtual clock
 * ({@code @FakeHomeserverConfig(virtualClock = true)} or {@link Builder#virtualClock(boolean)}), the server's
 * {@link VirtualClock} resolves as a parameter too; a per-class server keeps its clock across tests (time only
 * moves forward).
 *
 * <p>After each test it hands what the test covered of the {@link dev.fakehomeserver.coverage.Behaviour catalogue}
 * to {@link CoverageListener} as a report entry (what the server covered since the previous test, so the reset
 * before a test and what a {@code @BeforeAll} did count for the test after them); {@code fakehomeserver.coverage=false}
 * turns that off.
 */
public final class FakeHomeserver implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback, ParameterResolver, TestExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FakeHomeserver.class);
    private static final String KEY = "server";

    /** What the builder set; null fields fall back to the annotation, then the parameter, then the default. */
    private final List<Registration> registrations;
    private final String serverName;
    private final Lifecycle lifecycle;
    private final Boolean failOnViolations;
    private final Boolean virtualClock;
    private final Long seed;
    private final Consumer<HomeserverBuilder> customizer;

    /** The declarative form, {@code @ExtendWith(FakeHomeserver.class)}: all configuration from annotation and parameters. */
    public FakeHomeserver() {
        this(new Builder());
    }

    private FakeHomeserver(Builder b) {
        this.registrations = List.copyOf(b.registrations);
        this.serverName = b.serverName;
        this.lifecycle = b.lifecycle;
        this.failOnViolations = b.failOnViolations;
        this.virtualClock = b.virtualClock;
        this.seed = b.seed;
        this.customizer = b.customizer;
    }

    /** Starts the programmatic form, for {@code @RegisterExtension static FakeHomeserver fake = ...}. */
    public static Builder builder() {
        return new Builder();
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext ctx) {
        if (config(ctx).lifecycle == Lifecycle.PER_CLASS) {
            classServer(ctx);
        }
    }

    @Override
    public void beforeEach(ExtensionContext ctx) {
        Config cfg = config(ctx);
        if (cfg.lifecycle == Lifecycle.PER_METHOD) {
            ctx.getStore(NS).put(KEY, new ServerResource(start(ctx)));
            return;
        }
        if (ctx.getExecutionMode() == ExecutionMode.CONCURRENT && parallelEnabled(ctx)) {
            throw new ExtensionConfigurationException("FakeHomeserver: test methods of "
                    + ctx.getRequiredTestClass().getName() + " run concurrently but share one per-class server, and"
                    + " the reset before each test would wipe the others' data. Use"
                    + " @FakeHomeserverConfig(lifecycle = Lifecycle.PER_METHOD) or @Execution(ExecutionMode.SAME_THREAD)"
                    + " on the class.");
        }
        classServer(ctx).reset();
    }

    /** What a class's server covered after its last test (its {@code @AfterAll} methods), for the class. */
    @Override
    public void afterAll(ExtensionContext ctx) {
        ServerResource found = ctx.getStore(NS).get(KEY, ServerResource.class);
        if (found != null) {
            publishCoverage(ctx, found);
        }
    }

    /** Publishes what the server covered since it last did, unless coverage is off or nothing at all changed. */
    private static void publishCoverage(ExtensionContext ctx, ServerResource r) {
        if (!ctx.getConfigurationParameter(CoverageListener.ENABLED).map(Boolean::parseBoolean).orElse(true)) {
            return;
        }
        Coverage added = r.coverageSincePublished();
        if (added != null && !added.appservices().isEmpty()) {   // a server without appservices has nothing to say
            ctx.publishReportEntry(CoverageEntry.KEY, CoverageEntry.encode(added));
        }
    }

    private static boolean parallelEnabled(ExtensionContext ctx) {
        return ctx.getConfigurationParameter("junit.jupiter.execution.parallel.enabled").map(Boolean::parseBoolean)
                .orElse(false);
    }

    @Override
    public void afterEach(ExtensionContext ctx) {
        ServerResource own = ctx.getStore(NS).get(KEY, ServerResource.class);
        publishCoverage(ctx, own != null ? own : classResource(ctx));
        if (!config(ctx).failOnViolations || ctx.getExecutionException().isPresent()) {
            return;
        }
        Homeserver hs = server(ctx);
        List<Violation> unexpected = hs.unexpectedViolations();
        if (!unexpected.isEmpty()) {
            StringBuilder sb = new StringBuilder("The fake homeserver refused ").append(unexpected.size())
                    .append(unexpected.size() == 1 ? " request" : " requests").append(" this test did not expect:");
            unexpected.forEach(v -> sb.append("\n  ").append(v));
            sb.append("\nIf the test provokes them on purpose, call hs.expectViolations() or"
                    + " hs.allowViolation(\"M_...\"); to turn the check off use"
                    + " @FakeHomeserverConfig(failOnViolations = false) or fakehomeserver.failOnViolations=false.");
            throw (AssertionError) KeepOpen.onFailure(ctx, hs, new AssertionError(Expectation.reported(hs, sb.toString())));
        }
    }

    /**
     * A failing test: with {@code keepOpenOnFailure}, its fake stays up for a person, and the message says where. A
     * failure that is not the fake's own (a plain {@code assertEquals}, an exception of the code under test) gets
     * the seed to replay it with as a suppressed note, so its type and message stay as they were.
     */
    @Override
    public void handleTestExecutionException(ExtensionContext ctx, Throwable failure) throws Throwable {
        ServerResource found = ctx.getStore(NS).get(KEY, ServerResource.class);
        Homeserver hs = found != null ? found.hs : classServer(ctx);
        String hint = hs.replayHint();
        if (failure.getMessage() == null || !failure.getMessage().contains(hint)) {
            failure.addSuppressed(new ReplayHint(hint));
        }
        throw KeepOpen.onFailure(ctx, hs, failure);
    }

    /** The seed of a failed test's fake, beside a failure that does not say it itself. */
    static final class ReplayHint extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReplayHint(String hint) {
            super(hint, null, false, false);
        }

        @Override
        public String toString() {
            return "fake-homeserver: " + getMessage();
        }
    }

    // ---- parameters ------------------------------------------------------------------------------------------

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
        Class<?> type = p.getParameter().getType();
        return type == Homeserver.class || type == VirtualClock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
        if (ctx.getTestMethod().isEmpty() && config(ctx).lifecycle == Lifecycle.PER_METHOD) {
            throw new ParameterResolutionException("FakeHomeserver: with lifecycle PER_METHOD there is no server"
                    + " outside a test method (here: " + p.getDeclaringExecutable() + "). Take the Homeserver in"
                    + " @BeforeEach or the test, or use lifecycle PER_CLASS.");
        }
        Homeserver hs = server(ctx);
        if (p.getParameter().getType() == VirtualClock.class) {
            if (hs.clock() instanceof VirtualClock vc) {
                return vc;
            }
            throw new ParameterResolutionException("FakeHomeserver: " + p.getDeclaringExecutable() + " takes a"
                    + " VirtualClock, but this server runs on " + hs.clock() + ". Use"
                    + " @FakeHomeserverConfig(virtualClock = true), FakeHomeserver.builder().virtualClock(true), or"
                    + " fakehomeserver.virtualClock=true.");
        }
        return hs;
    }

    // ---- the server in the Store -----------------------------------------------------------------------------

    private Homeserver server(ExtensionContext ctx) {
        ServerResource found = ctx.getStore(NS).get(KEY, ServerResource.class);
        return found != null ? found.hs : classServer(ctx);
    }

    /** The per-class server, started in the class's store unless an enclosing class's store has one. */
    private Homeserver classServer(ExtensionContext ctx) {
        return classResource(ctx).hs;
    }

    private ServerResource classResource(ExtensionContext ctx) {
        ExtensionContext owner = ctx;
        while (owner.getTestMethod().isPresent() && owner.getParent().isPresent()) {
            owner = owner.getParent().get();
        }
        ExtensionContext classCtx = owner;
        return owner.getStore(NS).getOrComputeIfAbsent(KEY, k -> new ServerResource(start(classCtx)),
                ServerResource.class);
    }

    private Homeserver start(ExtensionContext ctx) {
        Config cfg = config(ctx);
        HomeserverBuilder b = Homeserver.builder().serverName(cfg.serverName);
        if (cfg.virtualClock) {
            b.virtualClock();
        }
        if (cfg.seed != null) {
            b.randomSeed(cfg.seed);
        }
        if (cfg.platform != null) {
            b.hostedPlatform(cfg.platform);
        }
        registrations(ctx).forEach(b::registration);
        customizer.accept(b);
        return b.start();
    }

    /** Closes the server when JUnit closes the store that holds it. */
    @SuppressWarnings("deprecation")
    private static final class ServerResource implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final Homeserver hs;
        /** What the server had covered when the extension last published it. */
        private Coverage published = Coverage.empty();
        /** Whether it was published at least once (a first test that covered nothing still names the appservices). */
        private boolean publishedOnce;

        ServerResource(Homeserver hs) {
            this.hs = hs;
        }

        /** What the server covered since the last call, or null when nothing changed since a first one. */
        synchronized Coverage coverageSincePublished() {
            Coverage now = hs.coverage();
            Coverage added = now.since(published);
            published = now;
            if (added.isEmpty() && publishedOnce) {
                return null;
            }
            publishedOnce = true;
            return added;
        }

        @Override
        public void close() {
            hs.close();
        }
    }

    // ---- configuration: builder, then annotation, then parameter, then default ---------------------------

    /** {@code platform} null: the platform's rules are off; {@code seed} null: none fixed (then
     * {@code -Dfakehomeserver.seed}, else one drawn at random per server). */
    private record Config(String serverName, Lifecycle lifecycle, boolean failOnViolations, boolean virtualClock,
                          Plan platform, Long seed) {}

    private Config config(ExtensionContext ctx) {
        Optional<FakeHomeserverConfig> ann = annotation(ctx);
        String name = serverName != null ? serverName
                : ann.map(FakeHomeserverConfig::serverName).filter(s -> !s.isEmpty())
                .or(() -> ctx.getConfigurationParameter("fakehomeserver.serverName")).orElse("test");
        Lifecycle life = lifecycle != null && lifecycle != Lifecycle.DEFAULT ? lifecycle
                : ann.map(FakeHomeserverConfig::lifecycle).filter(l -> l != Lifecycle.DEFAULT)
                .or(() -> ctx.getConfigurationParameter("fakehomeserver.lifecycle").map(FakeHomeserver::lifecycle))
                .orElse(Lifecycle.PER_CLASS);
        boolean fail = failOnViolations != null ? failOnViolations
                : ann.map(FakeHomeserverConfig::failOnViolations)
                .or(() -> ctx.getConfigurationParameter("fakehomeserver.failOnViolations").map(Boolean::parseBoolean))
                .orElse(true);
        boolean virtual = virtualClock != null ? virtualClock
                : ann.map(FakeHomeserverConfig::virtualClock)
                .or(() -> ctx.getConfigurationParameter("fakehomeserver.virtualClock").map(Boolean::parseBoolean))
                .orElse(false);
        Plan plan = ann.map(FakeHomeserverConfig::platform).filter(p -> !p.isEmpty())
                .or(() -> ctx.getConfigurationParameter("fakehomeserver.platform")).map(FakeHomeserver::plan)
                .orElse(null);
        Long fixedSeed = seed != null ? seed
                : ann.map(FakeHomeserverConfig::seed).filter(s -> s != FakeHomeserverConfig.RANDOM_SEED)
                .or(() -> ctx.getConfigurationParameter(HomeserverBuilder.SEED_PROPERTY).map(FakeHomeserver::seed))
                .orElse(null);
        return new Config(name, life, fail, virtual, plan, fixedSeed);
    }

    private List<Registration> registrations(ExtensionContext ctx) {
        List<Registration> regs = new ArrayList<>(registrations);
        List<String> refs = annotation(ctx) .map(a -> Arrays.asList(a.registrations())).filter(l -> !l.isEmpty())
                .or(() -> ctx.getConfigurationParameter("fakehomeserver.registrations")
                        .map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList()))
                .orElse(List.of());
        refs.forEach(r -> regs.add(r.startsWith("classpath:") ? Registration.fromClasspath(r.substring(10))
                : Registration.fromPath(Path.of(r))));
        return regs;
    }

    private static long seed(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ExtensionConfigurationException(HomeserverBuilder.SEED_PROPERTY + "=" + value
                    + " is not a seed: give a whole number such as 42 (what a failure message prints)");
        }
    }

    /** A plan by name, or null for {@code none}. */
    private static Plan plan(String value) {
        if (value.trim().equalsIgnoreCase("none")) {
            return null;
        }
        try {
            return Plan.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("FakeHomeserver: platform = \"" + value + "\": " + e.getMessage()
                    + ", or none");
        }
    }

    private static Lifecycle lifecycle(String value) {
        try {
            return Lifecycle.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("fakehomeserver.lifecycle=" + value
                    + " is not one of PER_CLASS, PER_METHOD");
        }
    }

    /** The annotation on the test class or, for {@code @Nested} classes, the nearest enclosing class. */
    private static Optional<FakeHomeserverConfig> annotation(ExtensionContext ctx) {
        for (Class<?> c = ctx.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
            Optional<FakeHomeserverConfig> a = AnnotationSupport.findAnnotation(c, FakeHomeserverConfig.class);
            if (a.isPresent()) {
                return a;
            }
        }
        return Optional.empty();
    }

    /**
     * Configures a {@link FakeHomeserver} in code; what it sets wins over the annotation and the parameters.
     *
     * <pre>{@code
     * @RegisterExtension
     * static FakeHomeserver fake = FakeHomeserver.builder()
     *         .registration(Registration.fromClasspath("weather.yaml"))
     *         .lifecycle(Lifecycle.PER_METHOD)
     *         .configure(b -> b.openRegistration(false).defaultWait(Duration.ofSeconds(2)))
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final List<Registration> registrations = new ArrayList<>();
        private String serverName;
        private Lifecycle lifecycle;
        private Boolean failOnViolations;
        private Boolean virtualClock;
        private Long seed;
        private Consumer<HomeserverBuilder> customizer = b -> { };

        private Builder() {}

        /** Adds a registration. */
        public Builder registration(Registration r) {
            registrations.add(Objects.requireNonNull(r));
            return this;
        }

        /** The server name. */
        public Builder serverName(String name) {
            this.serverName = Objects.requireNonNull(name);
            return this;
        }

        /** How long a server lives. */
        public Builder lifecycle(Lifecycle l) {
            this.lifecycle = Objects.requireNonNull(l);
            return this;
        }

        /** Whether unexpected refused requests fail the test (default true). */
        public Builder failOnViolations(boolean fail) {
            this.failOnViolations = fail;
            return this;
        }

        /**
         * Whether each server runs on its own {@link VirtualClock} (default false), resolvable as a test parameter.
         * A clock set with {@link #configure} instead is used as given (and resolves too when it is virtual).
         */
        public Builder virtualClock(boolean on) {
            this.virtualClock = on;
            return this;
        }

        /**
         * Fixes the seed of every server this extension starts ({@link HomeserverBuilder#randomSeed(long)}): the
         * same ids, tokens and, with {@link #virtualClock(boolean)}, timestamps on every run. A test setting only:
         * the access tokens follow the seed and can be guessed.
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Any other {@link HomeserverBuilder} option, applied to every server this extension starts. */
        public Builder configure(Consumer<HomeserverBuilder> options) {
            this.customizer = this.customizer.andThen(Objects.requireNonNull(options));
            return this;
        }

        /** The extension, immutable. */
        public FakeHomeserver build() {
            return new FakeHomeserver(this);
        }
    }
}
