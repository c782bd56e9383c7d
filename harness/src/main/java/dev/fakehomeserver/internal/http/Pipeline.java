package dev.fakehomeserver.internal.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.List;

/**
 * A request flow as a list of {@link Step}s, outermost first. The client API and the control API are two lists
 * of the same steps ({@link ClientApiHandler}, {@code ControlApiHandler}); each differs only where the APIs do:
 * the client API journals, injects faults and authenticates with access tokens, the control API checks its
 * control token.
 */
public final class Pipeline implements HttpHandler {
    private final String apiName;
    private final Step[] steps;
    /** {@code nexts[i]} runs step {@code i}: made once, so passing a request on allocates nothing. */
    private final Step.Next[] nexts;

    /** @param apiName what the bug log line calls this API ({@code "client API"}) */
    public Pipeline(String apiName, List<Step> steps) {
        this.apiName = apiName;
        this.steps = steps.toArray(Step[]::new);
        this.nexts = new Step.Next[this.steps.length + 1];
        for (int i = 0; i < nexts.length; i++) {
            int at = i;
            nexts[i] = req -> run(req, at);
        }
    }

    @Override
    public void handleRequest(HttpServerExchange ex) {
        run(new InboundRequest(ex, apiName), 0);
    }

    private void run(InboundRequest req, int at) {
        if (at == steps.length) {
            throw new IllegalStateException("The last step of the " + apiName + " passed the request on");
        }
        try {
            steps[at].handle(req, nexts[at + 1]);
        } catch (Exception | Error e) {
            req.fail(e);
        }
    }
}
