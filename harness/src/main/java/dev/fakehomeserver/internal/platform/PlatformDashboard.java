package dev.fakehomeserver.internal.platform;

import dev.fakehomeserver.Registration;
import dev.fakehomeserver.RegistrationException;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.journal.TransactionJournal;
import dev.fakehomeserver.journal.Violation;
import dev.fakehomeserver.platform.Dashboard;
import dev.fakehomeserver.platform.HostResolver;
import dev.fakehomeserver.platform.Plan;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The dashboard's register and remove, and the restart that follows each (docs/platform.md, rule 3), over a
 * {@link Host}: the engine, which adds and removes registrations with all their checks, holds pushes and runs
 * tasks on the homeserver's clock. The restart state is guarded by this object's monitor.
 */
public final class PlatformDashboard implements Dashboard {
    /** What a registration made through the dashboard names as its source. */
    public static final String SOURCE = "dashboard registration";

    /** What the dashboard needs of the engine. */
    public interface Host {
        long nowMillis();

        /** Runs {@code task} once {@code delayMillis} have passed on the homeserver's clock; returns its cancel. */
        Runnable schedule(Runnable task, long delayMillis);

        /** Adds a registration with the start checks and the platform's. */
        void add(Registration registration);

        /** Removes a registration (refusing the managed bridges). */
        void remove(String appserviceId);

        /** Holds every push, or releases them. */
        void holdPushes(boolean held);

        /** Everything sent to appservices, with the answers. */
        TransactionJournal transactions();
    }

    private final HostedPlatform rules;
    private final Host host;
    private volatile HostResolver resolver;
    private long restartEndsAt = -1;
    private Runnable cancelRestart;

    public PlatformDashboard(HostedPlatform rules, Host host, HostResolver resolver) {
        this.rules = rules;
        this.host = host;
        this.resolver = Objects.requireNonNull(resolver);
    }

    @Override
    public Plan plan() {
        return rules.plan();
    }

    @Override
    public List<Registration> managedBridges() {
        return rules.bridges();
    }

    @Override
    public Registration register(String yaml) {
        Registration r = Registration.fromYaml(yaml, SOURCE);
        checkUrl(r);
        host.add(r);
        restart();
        return r;
    }

    @Override
    public void remove(String appserviceId) {
        host.remove(appserviceId);
        restart();
    }

    /** "the URL must resolve": a url, with a host that the resolver resolves. */
    private void checkUrl(Registration r) {
        if (r.url() == null) {
            throw RegistrationException.at(r.source(), "url", 0, "the dashboard needs the url the homeserver will "
                    + "push events to (\"Make ... the url a reachable HTTPS endpoint\"); url: null is refused");
        }
        String host;
        try {
            URI u = new URI(r.url());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw RegistrationException.at(r.source(), "url", 0, "'" + r.url() + "' is not an http(s) URL");
            }
            host = u.getHost();
        } catch (URISyntaxException e) {
            throw RegistrationException.at(r.source(), "url", 0, "'" + r.url() + "' is not a URL: " + e.getReason());
        }
        if (host == null || host.isEmpty()) {
            throw RegistrationException.at(r.source(), "url", 0, "'" + r.url() + "' has no host");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!resolver.resolves(bare)) {
            throw RegistrationException.at(r.source(), "url", 0, "the URL must resolve, and host '" + bare
                    + "' does not (the platform's dashboard checks it before registering)");
        }
    }

    /** Starts a restart of {@link #RESTART} from now; a restart already running starts over. */
    private synchronized void restart() {
        if (cancelRestart != null) {
            cancelRestart.run();
        }
        restartEndsAt = host.nowMillis() + RESTART.toMillis();
        host.holdPushes(true);
        cancelRestart = host.schedule(this::restarted, RESTART.toMillis());
    }

    private synchronized void restarted() {
        if (restartEndsAt < 0) {
            return;
        }
        restartEndsAt = -1;
        cancelRestart = null;
        host.holdPushes(false);
    }

    @Override
    public synchronized boolean restarting() {
        return restartEndsAt >= 0;
    }

    @Override
    public synchronized Optional<Instant> restartEndsAt() {
        return restartEndsAt < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(restartEndsAt));
    }

    /** What a client-server request gets while the homeserver restarts, or null when it is up. */
    public MatrixException unavailable() {
        Optional<Instant> end = restartEndsAt();
        if (end.isEmpty()) {
            return null;
        }
        return new MatrixException(502, "M_UNKNOWN", "Bad Gateway: the homeserver is restarting to pick up its "
                + "appservice configuration (the platform restarts it after a dashboard register or remove, about "
                + RESTART.toSeconds() + " seconds; back at " + end.get() + ") " + Violation.RESTART_MARKER);
    }

    @Override
    public List<RecordedTransaction> appserviceLogs() {
        return host.transactions().records(t -> !t.succeeded());
    }

    @Override
    public void hostResolver(HostResolver r) {
        this.resolver = Objects.requireNonNull(r, "resolver");
    }

    /** Ends a restart at once (the engine's reset): pushes are released. */
    public void reset() {
        Runnable cancel;
        synchronized (this) {
            cancel = cancelRestart;
        }
        if (cancel != null) {
            cancel.run();
        }
        restarted();
    }
}
