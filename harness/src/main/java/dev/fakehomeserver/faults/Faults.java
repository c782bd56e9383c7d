package dev.fakehomeserver.faults;

import dev.fakehomeserver.journal.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Injected failures on the client-server API, from {@code hs.faults()}. Rules are tried in the order they were
 * added; the first that matches and has firings left applies. {@code hs.reset()} clears them.
 *
 * <pre>{@code
 * hs.faults().on("PUT", "/rooms/{roomId}/send/*").forUser("@weather_bob:test").times(2).respondLimitExceeded(1000);
 * hs.faults().on("POST", "/createRoom").respond(500);
 * hs.faults().on("*", "/profile/**").delay(Duration.ofMillis(300));
 * hs.faults().on("GET", "/sync").dropConnection();
 * }</pre>
 *
 * <p>Injected errors end with {@value Violation#INJECTED_MARKER} in their error text, so the journal shows
 * them for what they are and {@code hs.violations()} leaves them out.
 *
 * <p>The other direction, requests from the homeserver to an appservice, is faulted with
 * {@link #appservice(String)}: {@code hs.faults().appservice("weather").markDown()}.
 */
public final class Faults {
    private final List<FaultRule> rules = new ArrayList<>();
    private final Map<String, AppserviceFaults> appservices = new LinkedHashMap<>();
    private final Consumer<String> checkAppservice;

    /** Creates an empty rule list; servers make their own, reach it with {@code hs.faults()}. */
    public Faults() {
        this(id -> { });
    }

    /**
     * Creates an empty rule list whose {@link #appservice(String)} refuses unknown ids; used by the server.
     *
     * @param checkAppservice throws {@link IllegalArgumentException} for an id that names no appservice
     */
    public Faults(Consumer<String> checkAppservice) {
        this.checkAppservice = Objects.requireNonNull(checkAppservice);
    }

    /**
     * The faults of requests the homeserver sends to this appservice (see {@link AppserviceFaults}).
     *
     * <pre>{@code
     * hs.faults().appservice("weather").failTransactions(3);
     * }</pre>
     *
     * @throws IllegalArgumentException when no appservice has this id (the message lists the loaded ones)
     */
    public AppserviceFaults appservice(String appserviceId) {
        checkAppservice.accept(Objects.requireNonNull(appserviceId));
        synchronized (this) {
            return appservices.computeIfAbsent(appserviceId, AppserviceFaults::new);
        }
    }

    /**
     * Whether the next request to this appservice fails, counting it if so; used by the server.
     *
     * @return the error text to record, or null to send it normally
     */
    public String decideOutbound(String appserviceId, boolean transaction) {
        AppserviceFaults f;
        synchronized (this) {
            f = appservices.get(appserviceId);
        }
        return f == null ? null : f.decide(transaction);
    }

    /**
     * Starts a rule for requests with this method ({@code "*"} for any) and path pattern, without the
     * {@code /_matrix/client/v3} prefix ({@code /rooms/{roomId}/send/*}).
     */
    public Builder on(String method, String pathPattern) {
        return new Builder(Objects.requireNonNull(method), Objects.requireNonNull(pathPattern));
    }

    /** The installed rules, in matching order. */
    public synchronized List<FaultRule> rules() {
        return List.copyOf(rules);
    }

    /** Removes every rule, and every appservice fault. */
    public synchronized void clear() {
        rules.clear();
        // Kept, not dropped: a handle the test holds from before a reset must still act on the server.
        appservices.values().forEach(AppserviceFaults::clear);
    }

    /**
     * What to do with a request, counting a hit on the rule that matched; used by the server.
     *
     * @param shortPath the path without {@code /_matrix/client/vN}
     * @param userId the acting user, or null
     */
    public synchronized Optional<Fault> decide(String method, String shortPath, String userId) {
        for (FaultRule r : rules) {
            if (r.fire(method, shortPath, userId)) {
                return Optional.of(r.fault());
            }
        }
        return Optional.empty();
    }

    private synchronized FaultRule add(FaultRule r) {
        rules.add(r);
        return r;
    }

    /**
     * A rule being described; a terminal method ({@code respond...}, {@code delay}, {@code dropConnection})
     * installs it.
     *
     * <pre>{@code
     * hs.faults().on("POST", "/join/*").forUser("@weather_bob:test").times(1).respond(403, "M_FORBIDDEN", "no");
     * }</pre>
     */
    public final class Builder {
        private final String method;
        private final String path;
        private String user;
        private int times = -1;

        private Builder(String method, String path) {
            this.method = method;
            this.path = path;
        }

        /** Only requests acting as this user (after {@code ?user_id=} assertion). */
        public Builder forUser(String userId) {
            this.user = Objects.requireNonNull(userId);
            return this;
        }

        /** Fires this many times, then lets requests through (default: always). */
        public Builder times(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("times must be at least 1, was " + n);
            }
            this.times = n;
            return this;
        }

        /** Fires once. */
        public Builder once() {
            return times(1);
        }

        /** Answers 429 {@code M_LIMIT_EXCEEDED} with {@code retry_after_ms}, as Synapse's rate limiter does. */
        public FaultRule respondLimitExceeded(long retryAfterMs) {
            return install(new Fault.Respond(429, "M_LIMIT_EXCEEDED", "Too Many Requests", retryAfterMs));
        }

        /** Answers this status with the usual errcode for it ({@code M_UNKNOWN} for 5xx). */
        public FaultRule respond(int status) {
            return respond(status, errcodeFor(status), "Injected failure");
        }

        /** Answers this Matrix error. */
        public FaultRule respond(int status, String errcode, String error) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("A fault answers an error status (400-599), not " + status);
            }
            return install(new Fault.Respond(status, errcode, error, null));
        }

        /** Holds the request this long, then answers normally. */
        public FaultRule delay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("negative delay " + delay);
            }
            return install(new Fault.Delay(delay));
        }

        /** Closes the connection without answering. */
        public FaultRule dropConnection() {
            return install(new Fault.Drop());
        }

        private FaultRule install(Fault f) {
            return add(new FaultRule(method, path, user, times, f));
        }
    }

    private static String errcodeFor(int status) {
        return switch (status) {
            case 401 -> "M_UNKNOWN_TOKEN";
            case 403 -> "M_FORBIDDEN";
            case 404 -> "M_NOT_FOUND";
            case 429 -> "M_LIMIT_EXCEEDED";
            default -> "M_UNKNOWN";
        };
    }
}
