package dev.fakehomeserver.junit5;

/**
 * How long one fake homeserver lives under the {@link FakeHomeserver} extension.
 *
 * <pre>{@code
 * @FakeHomeserverConfig(lifecycle = Lifecycle.PER_METHOD)
 * class IsolatedTest { ... }
 * }</pre>
 */
public enum Lifecycle {
    /** Use the {@code fakehomeserver.lifecycle} configuration parameter, else {@link #PER_CLASS}. */
    DEFAULT,
    /** One server per test class (shared with its {@code @Nested} classes), reset before each test. */
    PER_CLASS,
    /** A fresh server for each test method. */
    PER_METHOD
}
