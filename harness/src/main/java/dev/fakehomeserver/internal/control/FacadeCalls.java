package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.events.InjectionRefusedException;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.console.ChangeWaiters;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * Runs a {@code Homeserver} facade operation for a control endpoint and turns the facade's refusals into the
 * Matrix errors the control API answers: an injection the room rules refuse keeps its status and errcode, a bad
 * argument is 400 {@code M_INVALID_PARAM}, something missing is 404 {@code M_NOT_FOUND}, too many pending waits
 * 429 {@code M_LIMIT_EXCEEDED}.
 */
final class FacadeCalls {
    private FacadeCalls() {}

    static <T> T call(Supplier<T> op) {
        try {
            return op.get();
        } catch (ChangeWaiters.TooManyWaiters e) {
            throw new MatrixException(429, "M_LIMIT_EXCEEDED", e.getMessage());
        } catch (InjectionRefusedException e) {
            throw new MatrixException(e.getStatus(), e.getErrcode(), e.getError());
        } catch (NoSuchElementException e) {
            throw MatrixException.notFound(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam(e.getMessage());
        }
    }

    static void run(Runnable op) {
        call(() -> {
            op.run();
            return null;
        });
    }
}
