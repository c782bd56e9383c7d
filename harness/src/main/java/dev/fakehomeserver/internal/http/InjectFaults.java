package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.internal.model.Requester;
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
        FaultHook.Action fault = hook.decide(req.method(), req.rawPath(), who == null ? null : who.userId());
        if (fault instanceof FaultHook.Fail f) {
            throw f.error();
        }
        if (fault instanceof FaultHook.Drop) {
            req.drop();
            return;
        }
        if (fault instanceof FaultHook.Delay d) {
            req.http().dispatch(SameThreadExecutor.INSTANCE, () ->
                    delays.schedule(() -> next.proceed(req), d.delay().toMillis(), TimeUnit.MILLISECONDS));
            return;
        }
        next.proceed(req);
    }
}
