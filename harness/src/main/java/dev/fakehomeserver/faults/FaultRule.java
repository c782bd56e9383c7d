package dev.fakehomeserver.faults;

/**
 * One installed fault: which requests it matches (method, path pattern, acting user), how many times it fires, and
 * what it does. Obtained from {@link Faults#on(String, String)}; counts its hits.
 *
 * <pre>{@code
 * FaultRule rule = hs.faults().on("PUT", "/rooms/{roomId}/send/*").forUser("@weather_bob:test").times(2)
 *         .respondLimitExceeded(500);
 * // ... the appservice retries ...
 * assertThat(rule.hits()).isEqualTo(2);
 * }</pre>
 *
 * <p>Paths are matched without the {@code /_matrix/client/v3} prefix and after percent-decoding; {@code *} and a
 * placeholder such as {@code {roomId}} match within one segment, {@code **} across segments, and a {@code *} that
 * ends the pattern matches the rest of the path ({@code /rooms/*&#47;send/*} covers {@code /send/{type}/{txnId}}). {@code "*"} as method matches every method.
 */
public interface FaultRule {
    /** How many requests it has hit so far. */
    int hits();

    /** How many more times it fires, or -1 for always. */
    int remaining();

    /** What it does. */
    Fault fault();
}
