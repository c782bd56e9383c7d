import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.util.ArrayList;
import java.util.List;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * The coverage listener's cost on the samples' suite (issue 20): the whole suite through JUnit's launcher, which
 * registers the listener from META-INF/services as Surefire does, with {@code fakehomeserver.coverage} on and
 * off in turn, in one JVM after a warm-up run. Each round runs both, in alternating order, so drift in the
 * machine's load hits both alike; the medians and their difference are printed. Run by coverage-overhead.sh.
 *
 * <p>Arguments: the number of rounds (default 5) and the report directory.
 */
public final class CoverageOverhead {
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String dir = args.length > 1 ? args[1] : "target/coverage-overhead";
        Launcher launcher = LauncherFactory.create();
        System.out.printf("warm-up: %.2f s%n", run(launcher, true, dir) / 1e9);
        List<Long> on = new ArrayList<>();
        List<Long> off = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            boolean onFirst = r % 2 == 0;
            long a = run(launcher, onFirst, dir);
            long b = run(launcher, !onFirst, dir);
            (onFirst ? on : off).add(a);
            (onFirst ? off : on).add(b);
            System.out.printf("round %d: on %.2f s, off %.2f s%n", r + 1, on.get(r) / 1e9, off.get(r) / 1e9);
        }
        double mOn = median(on) / 1e9;
        double mOff = median(off) / 1e9;
        System.out.printf("median of %d: on %.2f s, off %.2f s, difference %+.2f s (%+.1f%%)%n", rounds, mOn, mOff,
                mOn - mOff, 100 * (mOn - mOff) / mOff);
    }

    private static long run(Launcher launcher, boolean coverage, String dir) {
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        var request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("dev.fakehomeserver.samples"))
                .configurationParameter("fakehomeserver.coverage", String.valueOf(coverage))
                .configurationParameter("fakehomeserver.coverage.dir", dir)
                .build();
        long t0 = System.nanoTime();
        launcher.execute(request, summary);
        long t = System.nanoTime() - t0;
        if (summary.getSummary().getTotalFailureCount() > 0) {
            summary.getSummary().getFailures().forEach(f -> System.out.println("FAILED " + f.getTestIdentifier()
                    .getDisplayName() + ": " + f.getException()));
        }
        return t;
    }

    private static double median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }
}
