package dev.fakehomeserver.internal.conformance;

import java.util.ArrayList;
import java.util.List;

/** Every check, in the order a run takes them; {@code docs/conformance.md} lists the same (a test checks). */
final class Catalogue {
    private static final List<CheckDef> ALL = build();

    private Catalogue() {}

    static List<CheckDef> all() {
        return ALL;
    }

    private static List<CheckDef> build() {
        List<CheckDef> out = new ArrayList<>();
        out.addAll(AuthChecks.all());
        out.addAll(TransactionChecks.all());
        out.addAll(RoutingChecks.all());
        out.addAll(QueryChecks.all());
        // last: they use hs.faults(), and read every exchange before them
        out.addAll(FaultChecks.all());
        return List.copyOf(out);
    }
}
