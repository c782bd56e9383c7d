package dev.fakehomeserver.internal.engine;

import dev.fakehomeserver.faults.Fault;
import dev.fakehomeserver.faults.Faults;
import dev.fakehomeserver.internal.http.FaultHook;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.journal.Violation;

/** Plugs the public {@link Faults} rules into the request flow's {@link FaultHook}. */
final class FaultAdapter implements FaultHook {
    private final Faults faults;

    FaultAdapter(Faults faults) {
        this.faults = faults;
    }

    @Override
    public Action decide(String method, String shortPath, String userId) {
        return faults.decide(method, shortPath, userId).map(FaultAdapter::action).orElse(null);
    }

    private static Action action(Fault f) {
        if (f instanceof Fault.Delay d) {
            return new Delay(d.delay());
        }
        if (f instanceof Fault.Drop) {
            return new Drop();
        }
        Fault.Respond r = (Fault.Respond) f;
        MatrixException e = new MatrixException(r.status(), r.errcode(), r.error() + " " + Violation.INJECTED_MARKER);
        if (r.retryAfterMs() != null) {
            e = e.with("retry_after_ms", r.retryAfterMs())
                    .header("Retry-After", Long.toString(Math.max(1, (r.retryAfterMs() + 999) / 1000)));
        }
        return new Fail(e);
    }
}
