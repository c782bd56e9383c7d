package dev.fakehomeserver.internal.faults;

import dev.fakehomeserver.faults.AppserviceFaults;
import dev.fakehomeserver.faults.Fault;
import dev.fakehomeserver.faults.FaultRule;
import dev.fakehomeserver.faults.Faults;
import dev.fakehomeserver.internal.http.FaultHook;
import dev.fakehomeserver.internal.push.OutboundFaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The server's fault rules: tests build them through the public {@link Faults} view ({@code hs.faults()}); the
 * deciding, which counts hits, is here and only the server reaches it, as the client API's {@link FaultHook} and
 * the pusher's {@link OutboundFaults}.
 */
public final class FaultBook implements Faults, FaultHook, OutboundFaults {
    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, AppserviceFaultState> appservices = new LinkedHashMap<>();
    private final Consumer<String> checkAppservice;
    /** Tells the pusher of an appservice whose pushes were resumed to send what waited. */
    private volatile Consumer<String> resumed = id -> { };

    /** @param checkAppservice throws {@link IllegalArgumentException} for an id that names no appservice */
    public FaultBook(Consumer<String> checkAppservice) {
        this.checkAppservice = Objects.requireNonNull(checkAppservice);
    }

    @Override
    public AppserviceFaults appservice(String appserviceId) {
        checkAppservice.accept(Objects.requireNonNull(appserviceId));
        synchronized (this) {
            return appservices.computeIfAbsent(appserviceId, id -> new AppserviceFaultState(id, () -> resumed.accept(id)));
        }
    }

    @Override
    public Builder on(String method, String pathPattern) {
        return new RuleBuilder(Objects.requireNonNull(method), Objects.requireNonNull(pathPattern));
    }

    @Override
    public synchronized List<FaultRule> rules() {
        return List.copyOf(rules);
    }

    @Override
    public synchronized void clear() {
        rules.clear();
        // Kept, not dropped: a handle the test holds from before a reset must still act on the server.
        appservices.values().forEach(AppserviceFaultState::clear);
    }

    /** The fault of the first rule that matches and has firings left, counting a hit on it; null for none. */
    @Override
    public synchronized Fault decide(String method, String path, String userId) {
        for (Rule r : rules) {
            if (r.fire(method, path, userId)) {
                return r.fault();
            }
        }
        return null;
    }

    /** Whether the next request to this appservice fails, counting it if so: the error text, or null. */
    @Override
    public String decide(String appserviceId, boolean transaction) {
        AppserviceFaultState f;
        synchronized (this) {
            f = appservices.get(appserviceId);
        }
        return f == null ? null : f.decide(transaction);
    }

    /** What runs when a test resumes an appservice's pushes (the engine pumps its pusher). */
    public void onResume(Consumer<String> pusherResume) {
        this.resumed = Objects.requireNonNull(pusherResume);
    }

    @Override
    public boolean loseAnswer(String appserviceId) {
        AppserviceFaultState f = state(appserviceId);
        return f != null && f.loseAnswer();
    }

    @Override
    public boolean paused(String appserviceId) {
        AppserviceFaultState f = state(appserviceId);
        return f != null && f.paused();
    }

    private synchronized AppserviceFaultState state(String appserviceId) {
        return appservices.get(appserviceId);
    }

    private synchronized FaultRule add(Rule r) {
        rules.add(r);
        return r;
    }

    private final class RuleBuilder implements Builder {
        private final String method;
        private final String path;
        private String user;
        private int times = -1;

        RuleBuilder(String method, String path) {
            this.method = method;
            this.path = path;
        }

        @Override
        public Builder forUser(String userId) {
            this.user = Objects.requireNonNull(userId);
            return this;
        }

        @Override
        public Builder times(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("times must be at least 1, was " + n);
            }
            this.times = n;
            return this;
        }

        @Override
        public FaultRule respondLimitExceeded(long retryAfterMs) {
            return install(new Fault.Respond(429, "M_LIMIT_EXCEEDED", "Too Many Requests", retryAfterMs));
        }

        @Override
        public FaultRule respond(int status) {
            return respond(status, errcodeFor(status), "Injected failure");
        }

        @Override
        public FaultRule respond(int status, String errcode, String error) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("A fault answers an error status (400-599), not " + status);
            }
            return install(new Fault.Respond(status, errcode, error, null));
        }

        @Override
        public FaultRule delay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("negative delay " + delay);
            }
            return install(new Fault.Delay(delay));
        }

        @Override
        public FaultRule dropConnection() {
            return install(new Fault.Drop());
        }

        private FaultRule install(Fault f) {
            return add(new Rule(method, path, user, times, f));
        }
    }

    private static String errcodeFor(int status) {
        return switch (status) {
            case 401 -> "M_UNKNOWN_TOKEN";
            case 403 -> "M_FORBIDDEN";
            case 404 -> "M_NOT_FOUND";
            case 429 -> "M_LIMIT_EXCEEDED";
            default -> "M_UNKNOWN";
        };
    }
}
