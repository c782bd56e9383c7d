package dev.fakehomeserver.internal.http;

import io.undertow.util.SameThreadExecutor;
import java.util.concurrent.CompletionStage;

/**
 * The last step: runs the route's endpoint and answers what it returns. An endpoint that calls out to an
 * appservice returns a {@link CompletionStage}, answered from whichever thread completes it.
 */
public final class RunEndpoint implements Step {
    @Override
    public void handle(InboundRequest req, Next next) throws Exception {
        Object result = req.route().endpoint().handle(req.call());
        if (result instanceof CompletionStage<?> stage) {
            // Without a dispatch Undertow ends the exchange (200, empty body) as soon as the handler returns;
            // dispatching to the same thread marks it as answered later, from whichever thread completes.
            req.http().dispatch(SameThreadExecutor.INSTANCE, () -> stage.whenComplete((value, err) -> {
                if (err == null) {
                    try {
                        req.answer(value);
                    } catch (RuntimeException e) {
                        req.fail(e);
                    }
                } else {
                    req.fail(err);
                }
            }));
        } else {
            req.answer(result);
        }
    }
}
