package dev.fakehomeserver.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Configures the server of {@code @ExtendWith(FakeHomeserver.class)}. Each attribute left at its default falls back
 * to a JUnit configuration parameter ({@code fakehomeserver.*}, e.g. in {@code junit-platform.properties}), then to
 * the built-in default.
 *
 * <pre>{@code
 * @ExtendWith(FakeHomeserver.class)
 * @FakeHomeserverConfig(registrations = "classpath:weather.yaml", serverName = "test")
 * class WeatherBotTest {
 *     @Test
 *     void answers(Homeserver hs) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface FakeHomeserverConfig {
    /**
     * Registration files: {@code classpath:weather.yaml} or file paths. Empty: parameter
     * {@code fakehomeserver.registrations} (comma-separated), else none.
     */
    String[] registrations() default {};

    /** The server name. Empty: parameter {@code fakehomeserver.serverName}, else {@code test}. */
    String serverName() default "";

    /** How long a server lives. {@code DEFAULT}: parameter {@code fakehomeserver.lifecycle}, else per class. */
    Lifecycle lifecycle() default Lifecycle.DEFAULT;

    /**
     * Whether a test that ends with refused requests it did not expect fails. Annotation booleans cannot be
     * "unset", so the parameter {@code fakehomeserver.failOnViolations} applies only to classes without this
     * annotation; the built-in default is true.
     */
    boolean failOnViolations() default true;

    /**
     * Whether the server runs on a {@link dev.fakehomeserver.VirtualClock} (started at an instant of 2026 drawn
     * from the seed, so that a replay has the same timestamps), which tests take as a parameter and advance:
     * {@code origin_server_ts} and appservice retries then follow it, and a retry fires only when the test
     * advances the clock past its time. Like {@link #failOnViolations()}, the
     * parameter {@code fakehomeserver.virtualClock} applies only to classes without this annotation; the built-in
     * default is false (the system clock).
     *
     * <pre>{@code
     * @ExtendWith(FakeHomeserver.class)
     * @FakeHomeserverConfig(registrations = "classpath:weather.yaml", virtualClock = true)
     * class RetryTest {
     *     @Test
     *     void retries(Homeserver hs, VirtualClock clock) {
     *         hs.faults().appservice("weather").failTransactions(1);
     *         // ... an event is pushed and fails ...
     *         clock.advance(Duration.ofSeconds(2));   // the retry goes out now
     *     }
     * }
     * }</pre>
     */
    boolean virtualClock() default false;

    /**
     * Keeps a failed test's fake running this long, for a person to look at it in the web console
     * (docs/console.md), and puts a one-time console link in the failure message: {@code "5m"}, {@code "90s"}
     * or an ISO-8601 duration such as {@code "PT5M"}. The test thread waits that long before the failure is
     * reported (the link is printed to stderr at once). Empty: parameter {@code fakehomeserver.keepOpenOnFailure},
     * else off. Meant for a run on a developer's machine, not for CI.
     *
     * <pre>{@code
     * @FakeHomeserverConfig(registrations = "classpath:weather.yaml", keepOpenOnFailure = "5m")
     * }</pre>
     */
    String keepOpenOnFailure() default "";

    /**
     * The hosting platform's plan, turning its rules on (docs/platform.md): {@code "free"}, {@code "starter"},
     * {@code "pro"} or {@code "business"}, in any case; {@code "none"} turns them off. Empty: parameter
     * {@code fakehomeserver.platform}, else off. The plan's limit applies to the registrations given here.
     *
     * <pre>{@code
     * @FakeHomeserverConfig(registrations = "classpath:weather.yaml", platform = "pro")
     * }</pre>
     */
    String platform() default "";

    /** {@link #seed()}'s default: no seed fixed here. */
    long RANDOM_SEED = Long.MIN_VALUE;

    /**
     * Fixes the seed every id of the server comes from (room, event, device and media ids, access tokens, session
     * tokens; with {@link #virtualClock()}, the clock's start too), so that the class replays byte for byte: the
     * same requests, pushes, journal and failure messages. Unset: parameter {@code fakehomeserver.seed} (also the
     * system property, {@code mvn test -Dfakehomeserver.seed=42}), else a seed drawn at random for each server.
     * Every failure message ends with the seed and how to rerun with it.
     *
     * <p>A test setting only: with a fixed seed the access tokens follow it and anyone who knows the seed can
     * guess them; a seed drawn at random leaves them to {@code SecureRandom}.
     *
     * <pre>{@code
     * @FakeHomeserverConfig(registrations = "classpath:weather.yaml", seed = 42)
     * }</pre>
     */
    long seed() default RANDOM_SEED;
}
