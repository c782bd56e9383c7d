package dev.fakehomeserver.faults;

import dev.fakehomeserver.journal.Violation;
import java.time.Duration;
import java.util.List;

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
public interface Faults {
    /**
     * The faults of requests the homeserver sends to this appservice (see {@link AppserviceFaults}).
     *
     * <pre>{@code
     * hs.faults().appservice("weather").failTransactions(3);
     * }</pre>
     *
     * @throws IllegalArgumentException when no appservice has this id (the message lists the loaded ones)
     */
    AppserviceFaults appservice(String appserviceId);

    /**
     * Starts a rule for requests with this method ({@code "*"} for any) and path pattern, without the
     * {@code /_matrix/client/v3} prefix ({@code /rooms/{roomId}/send/*}).
     */
    Builder on(String method, String pathPattern);

    /** The installed rules, in matching order. */
    List<FaultRule> rules();

    /** Removes every rule, and every appservice fault. */
    void clear();

    /**
     * A rule being described; a terminal method ({@code respond...}, {@code delay}, {@code dropConnection})
     * installs it.
     *
     * <pre>{@code
     * hs.faults().on("POST", "/join/*").forUser("@weather_bob:test").times(1).respond(403, "M_FORBIDDEN", "no");
     * }</pre>
     */
    interface Builder {
        /** Only requests acting as this user (after {@code ?user_id=} assertion). */
        Builder forUser(String userId);

        /**
         * Fires this many times, then lets requests through (default: always).
         *
         * @throws IllegalArgumentException when {@code n} is below 1
         */
        Builder times(int n);

        /** Fires once. */
        default Builder once() {
            return times(1);
        }

        /** Answers 429 {@code M_LIMIT_EXCEEDED} with {@code retry_after_ms}, as Synapse's rate limiter does. */
        FaultRule respondLimitExceeded(long retryAfterMs);

        /** Answers this status with the usual errcode for it ({@code M_UNKNOWN} for 5xx). */
        FaultRule respond(int status);

        /**
         * Answers this Matrix error.
         *
         * @throws IllegalArgumentException for a status that is no error (outside 400-599)
         */
        FaultRule respond(int status, String errcode, String error);

        /**
         * Holds the request this long, then answers normally.
         *
         * @throws IllegalArgumentException for a negative delay
         */
        FaultRule delay(Duration delay);

        /** Closes the connection without answering. */
        FaultRule dropConnection();
    }
}
