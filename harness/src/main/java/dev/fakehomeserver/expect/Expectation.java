package dev.fakehomeserver.expect;

import dev.fakehomeserver.Homeserver;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One expectation about the live server: a check that re-reads the server each time it runs and answers the
 * failure message (what was expected, then what the fake saw) or null when it holds. It can be checked now, or
 * awaited: checked at once and again after every change of the server (never on a polling clock), blocking the
 * caller ({@link #await}) or not ({@link #awaitAsync}, how the control API's {@code ?wait_ms=} forms wait). An
 * expectation awaited in vain fails with the message of its last check and {@code (waited 5 s)} at the end of its
 * first line: the text of {@code assertThat(hs).eventually()...} without its last line, the
 * {@linkplain #reported replay hint}.
 *
 * <pre>{@code
 * Expectation answered = Expectations.of(hs).timelineContainsMessageFrom(room, "@weatherbot:test", "Paris: sunny");
 * answered.await(Duration.ofSeconds(5)).ifPresent(failure -> { throw new AssertionError(failure); });
 * }</pre>
 */
public final class Expectation {
    private final Homeserver hs;
    private final Supplier<String> check;
    /** Whether it holds, without the failure message (what a wait re-checks after every change), or null. */
    private final BooleanSupplier holds;

    private Expectation(Homeserver hs, BooleanSupplier holds, Supplier<String> check) {
        this.hs = Objects.requireNonNull(hs);
        this.check = Objects.requireNonNull(check);
        this.holds = holds;
    }

    /** An expectation from a check: it answers the failure message, or null when the expectation holds. */
    public static Expectation of(Homeserver hs, Supplier<String> check) {
        return new Expectation(hs, null, check);
    }

    /**
     * An expectation whose failure message is built only when it is reported: {@code holds} is what waits
     * re-check after every change. Why: a message says what the fake saw (the timeline, the journal, the
     * pushes), and building it on every re-check of {@code eventually()} was most of a scenario's cost, growing
     * with the journal (benchmarks/README.md, figure 9). {@code check} still answers null when it holds.
     */
    static Expectation of(Homeserver hs, BooleanSupplier holds, Supplier<String> check) {
        return new Expectation(hs, Objects.requireNonNull(holds), check);
    }

    /** Checks now: the failure message, or empty when it holds. */
    public Optional<String> failure() {
        return holds != null && holds.getAsBoolean() ? Optional.empty() : Optional.ofNullable(check.get());
    }

    /** Whether it holds now. */
    public boolean holds() {
        return holds != null ? holds.getAsBoolean() : check.get() == null;
    }

    /**
     * Waits up to {@code wait} for it to hold, blocking the calling thread.
     *
     * @return empty when it held in time, else the failure message with {@code (waited ...)}
     */
    public Optional<String> await(Duration wait) {
        if (hs.waitUntil(this::holds, wait)) {
            return Optional.empty();
        }
        return Optional.of(waited(wait));
    }

    /**
     * {@link #await} without blocking: the future completes with empty as soon as it holds, or with the failure
     * message once {@code wait} has passed ({@link Homeserver#waitUntilAsync}).
     *
     * @throws IllegalStateException when the server has too many waits pending already
     */
    public CompletableFuture<Optional<String>> awaitAsync(Duration wait) {
        return hs.waitUntilAsync(this::holds, wait).thenApply(held -> held ? Optional.empty() : Optional.of(waited(wait)));
    }

    /** The message of a wait in vain, built now from the server as it is at the end of the wait. */
    private String waited(Duration wait) {
        String msg = check.get();
        return note(msg == null ? "Expected condition held only after the wait" : msg, "waited " + human(wait));
    }

    /**
     * A failure message as every face reports it: the message, then {@link Homeserver#replayHint()} on a line of
     * its own. The one place the line is added, so the AssertJ assertions and the control API's waits stay
     * byte for byte the same; a custom assertion built on {@link #failure()} calls it too.
     *
     * <pre>{@code
     * expectation.failure().ifPresent(f -> { throw new AssertionError(Expectation.reported(hs, f)); });
     * }</pre>
     */
    public static String reported(Homeserver hs, String failure) {
        return failure + "\n" + hs.replayHint();
    }

    /** Puts a note in parentheses at the end of the first line (the expectation) of a failure message. */
    public static String note(String failure, String note) {
        int nl = failure.indexOf('\n');
        return nl < 0 ? failure + " (" + note + ")"
                : failure.substring(0, nl) + " (" + note + ")" + failure.substring(nl);
    }

    /** {@code 5 s}, {@code 250 ms}: a duration as failure messages write it. */
    public static String human(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
