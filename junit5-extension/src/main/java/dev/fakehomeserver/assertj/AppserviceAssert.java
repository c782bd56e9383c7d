package dev.fakehomeserver.assertj;

import java.time.Duration;
import java.util.function.Supplier;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what one appservice did (the {@code actual} value is its id), read from the client-server
 * journal: the requests it made with its as_token.
 *
 * <pre>{@code
 * assertThat(hs).eventually().appservice("weather")
 *         .madeRequest("POST", "/register")
 *         .madeRequest("PUT", "/rooms/{roomId}/send/*")
 *         .hasNoViolations();
 * }</pre>
 */
// TODO(lead): receivedEvent(eventId) / receivedTransaction(...) over the outbound journal
// (dev.fakehomeserver.journal.RecordedTransaction) once the pusher is merged. Kept out until then rather than
// shipped as a method that always throws.
public final class AppserviceAssert extends AbstractAssert<AppserviceAssert, String> {
    private final Probe probe;

    AppserviceAssert(Probe probe, String appserviceId) {
        super(appserviceId, AppserviceAssert.class);
        this.probe = probe;
    }

    /** Waits up to the server's default for each following assertion. */
    public AppserviceAssert eventually() {
        return eventually(probe.hs.defaultWait());
    }

    /** Waits up to {@code timeout} for each following assertion. */
    public AppserviceAssert eventually(Duration timeout) {
        return new AppserviceAssert(probe.waiting(timeout), actual);
    }

    /** The appservice made a request with this method ({@code *} for any) and path pattern. */
    public AppserviceAssert madeRequest(String method, String pathPattern) {
        return check(() -> probe.hs.journal().requests(Probe.request(method, pathPattern)
                .and(r -> actual.equals(r.appserviceId()))).isEmpty()
                ? "Expecting appservice " + actual + " to have made a request " + method + " " + pathPattern
                + "\nbut it made none.\nWhat the fake saw:\n" + probe.journalOf(Probe.setOf(), Probe.setOf(actual))
                : null);
    }

    /** None of the appservice's requests was refused, injected faults aside. */
    public AppserviceAssert hasNoViolations() {
        return check(() -> {
            var v = probe.hs.violations().stream().filter(x -> actual.equals(x.request().appserviceId())).toList();
            return v.isEmpty() ? null : "Expecting appservice " + actual + " to have had no request refused\n"
                    + "but " + v.size() + " were.\n" + Probe.list("Violations", v);
        });
    }

    private AppserviceAssert check(Supplier<String> c) {
        String failure = probe.run(c);
        if (failure != null) {
            failWithMessage("%s", failure);
        }
        return this;
    }
}
