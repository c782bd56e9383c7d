package dev.fakehomeserver.internal.conformance;

import dev.fakehomeserver.conformance.CheckResult;
import dev.fakehomeserver.conformance.ConformanceCheck;
import dev.fakehomeserver.conformance.ConformanceReport;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Runs the catalogue's checks in one {@link Session}, in catalogue order or one by id. Apart from the session
 * because the checks depend on the session they run in, and the catalogue on the checks.
 */
public final class KitRun {
    private final Session session;

    public KitRun(Session session) {
        this.session = session;
    }

    /** Every check, in the order a run takes them. */
    public static List<ConformanceCheck> catalogue() {
        return Catalogue.all().stream().map(CheckDef::info).toList();
    }

    /** Runs every check in order. */
    public ConformanceReport runAll() {
        List<CheckResult> results = new ArrayList<>();
        for (CheckDef d : Catalogue.all()) {
            results.add(run(d));
        }
        return new ConformanceReport(session.reg.id(), results, session.created());
    }

    /** Runs one check by id. */
    public CheckResult run(String checkId) {
        return run(Catalogue.all().stream().filter(d -> d.info().id().equals(checkId)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("No conformance check " + checkId)));
    }

    /** What the run has created so far. */
    public List<String> created() {
        return session.created();
    }

    private CheckResult run(CheckDef d) {
        return session.run(d.info(), d.body()::run);
    }
}
