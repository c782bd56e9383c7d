package dev.fakehomeserver.expect;

import dev.fakehomeserver.Homeserver;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
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

    private Expectation(Homeserver hs, Supplier<String> check) {
        this.hs = Objects.requireNonNull(hs);
        this.check = Objects.requireNonNull(check);
    }

    /** An expectation from a check: it answers the failure message, or null when the expectation holds. */
    public static Expectation of(Homeserver hs, Supplier<String> check) {
        return new Expectation(hs, check);
    }

    /** Checks now: the failure message, or empty when it holds. */
    public Optional<String> failure() {
        return Optional.ofNullable(check.get());
    }

    /** Whether it holds now. */
    public boolean holds() {
        return check.get() == null;
    }

    /**
     * Waits up to {@code wait} for it to hold, blocking the calling thread.
     *
     * @return empty when it held in time, else the failure message with {@code (waited ...)}
     */
    public Optional<String> await(Duration wait) {
        String[] last = new String[1];
        if (hs.waitUntil(() -> (last[0] = check.get()) == null, wait)) {
            return Optional.empty();
        }
        return Optional.of(waited(last[0], wait));
    }

    /**
     * {@link #await} without blocking: the future completes with empty as soon as it holds, or with the failure
     * message once {@code wait} has passed ({@link Homeserver#waitUntilAsync}).
     *
     * @throws IllegalStateException when the server has too many waits pending already
     */
    public CompletableFuture<Optional<String>> awaitAsync(Duration wait) {
        AtomicReference<String> last = new AtomicReference<>();
        return hs.waitUntilAsync(() -> {
            String failure = check.get();
            last.set(failure);
            return failure == null;
        }, wait).thenApply(held -> held ? Optional.empty() : Optional.of(waited(last.get(), wait)));
    }

    private String waited(String lastFailure, Duration wait) {
        String msg = lastFailure != null ? lastFailure : check.get();
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
