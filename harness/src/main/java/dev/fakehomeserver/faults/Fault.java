package dev.fakehomeserver.faults;

import java.time.Duration;

/**
 * What a matching {@link FaultRule} does to a request instead of answering it normally.
 *
 * <pre>{@code
 * FaultRule rule = hs.faults().on("PUT", "/rooms/{roomId}/send/*").respond(500);
 * assertThat(rule.fault()).isInstanceOf(Fault.Respond.class);
 * }</pre>
 */
public sealed interface Fault permits Fault.Respond, Fault.Delay, Fault.Drop {

    /**
     * Answer with this Matrix error.
     *
     * <pre>{@code
     * new Fault.Respond(429, "M_LIMIT_EXCEEDED", "Too many requests", 2000L);
     * }</pre>
     *
     * @param status the HTTP status
     * @param errcode the errcode
     * @param error the error text
     * @param retryAfterMs {@code retry_after_ms} to include (429 only), or null
     */
    record Respond(int status, String errcode, String error, Long retryAfterMs) implements Fault {}

    /**
     * Wait this long, then answer normally.
     *
     * <pre>{@code
     * new Fault.Delay(Duration.ofMillis(200));
     * }</pre>
     *
     * @param delay how long
     */
    record Delay(Duration delay) implements Fault {}

    /**
     * Close the connection without answering.
     *
     * <pre>{@code
     * new Fault.Drop();
     * }</pre>
     */
    record Drop() implements Fault {}
}
