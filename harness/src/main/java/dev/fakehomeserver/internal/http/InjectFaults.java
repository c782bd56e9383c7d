package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.faults.Fault;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.journal.Violation;
import io.undertow.util.SameThreadExecutor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The client API's fault step, after auth so that a rule can name the acting user: asks the {@link FaultHook}
 * (the test's {@code hs.faults()} rules) and fails, drops or delays the request accordingly.
 */
public final class InjectFaults implements Step {
    private volatile FaultHook hook = FaultHook.NONE;
    private final ScheduledExecutorService delays;

    public InjectFaults(ScheduledExecutorService delays) {
        this.delays = delays;
    }

    public void hook(FaultHook h) {
        this.hook = h == null ? FaultHook.NONE : h;
    }

    @Override
    public void handle(InboundRequest req, Next next) {
        Requester who = req.call().requester();
        Fault fault = hook.decide(req.method(), req.rawPath(), who == null ? null : who.userId());
        if (fault instanceof Fault.Respond r) {
            throw error(r);
        }
        if (fault instanceof Fault.Drop) {
            req.drop();
            return;
        }
        if (fault instanceof Fault.Delay d) {
            req.http().dispatch(SameThreadExecutor.INSTANCE, () ->
                    delays.schedule(() -> next.proceed(req), d.delay().toMillis(), TimeUnit.MILLISECONDS));
            return;
        }
        next.proceed(req);
    }

    /** The injected error, marked as injected so the journal and {@code hs.violations()} tell it from a real one. */
    private static MatrixException error(Fault.Respond r) {
        MatrixException e = new MatrixException(r.status(), r.errcode(), r.error() + " " + Violation.INJECTED_MARKER);
        if (r.retryAfterMs() != null) {
            e = e.with("retry_after_ms", r.retryAfterMs())
                    .header("Retry-After", Long.toString(Math.max(1, (r.retryAfterMs() + 999) / 1000)));
        }
        return e;
    }
}
