package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.expect.Expectation;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.Call;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The {@code ?wait_ms=N} forms of the control API's reads: the answer comes as soon as the expectation holds, or
 * after N ms as 408 {@code DEV.FAKEHOMESERVER.WAIT_TIMEOUT} whose {@code error} is the failure message the AssertJ
 * assertion of the same expectation gives ({@link Expectation#awaitAsync}: what was expected, then what the fake
 * saw, and {@code (waited N s)}). Waiting holds no thread: the exchange is parked and answered by the facade's
 * {@code waitUntilAsync}, woken by the change signal. Bounded: at most {@link #MAX_WAIT_MS} ms per request, and the
 * server's cap on pending waits (429 {@code M_LIMIT_EXCEEDED} beyond).
 */
final class Waits {
    /** The longest wait one request may ask for; a test waiting longer is better off failing and saying why. */
    static final long MAX_WAIT_MS = 60_000;
    static final String TIMEOUT = "DEV.FAKEHOMESERVER.WAIT_TIMEOUT";

    private Waits() {}

    /** The request's {@code wait_ms}, or null when it has none (then it answers at once, as before). */
    static Duration of(Call call) {
        String v = call.query("wait_ms");
        if (v == null) {
            return null;
        }
        long ms;
        try {
            ms = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("'wait_ms' must be a number of milliseconds, got " + v);
        }
        if (ms < 0 || ms > MAX_WAIT_MS) {
            throw MatrixException.invalidParam("'wait_ms' must be between 0 and " + MAX_WAIT_MS + ", got " + v);
        }
        return Duration.ofMillis(ms);
    }

    /**
     * The answer once {@code expectation} holds within {@code wait}, else 408 with its failure message as
     * {@link Expectation#reported} writes it (with {@code hs}'s replay hint), the text of the AssertJ assertion.
     */
    static Object until(Homeserver hs, Duration wait, Expectation expectation, Supplier<Object> answer) {
        return FacadeCalls.call(() -> expectation.awaitAsync(wait)).handle((failure, err) -> {
            if (err != null) {
                // A check that throws later (the appservice was removed meanwhile) is refused as it would be at once.
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                return FacadeCalls.call(() -> {
                    throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
                });
            }
            if (failure.isPresent()) {
                throw new MatrixException(408, TIMEOUT, Expectation.reported(hs, failure.get()));
            }
            return FacadeCalls.call(answer);
        });
    }

    /** A condition parameter given without {@code wait_ms}: refused, rather than silently ignored. */
    static MatrixException needsWait(String params) {
        return MatrixException.invalidParam(params + " say what to wait for: give wait_ms too (0 checks once)");
    }

    /** A required query parameter of a wait. */
    static String required(Call call, String name, String forWhat) {
        String v = call.query(name);
        if (v == null || v.isEmpty()) {
            throw MatrixException.missingParam("Missing query parameter '" + name + "' " + forWhat);
        }
        return v;
    }
}
