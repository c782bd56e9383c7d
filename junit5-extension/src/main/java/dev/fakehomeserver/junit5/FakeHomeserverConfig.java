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
}
