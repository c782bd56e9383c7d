package dev.fakehomeserver.internal.conformance;

import dev.fakehomeserver.conformance.ConformanceCheck;
import dev.fakehomeserver.conformance.Level;

/** A catalogue entry and the code that runs it. */
record CheckDef(ConformanceCheck info, Body body) {

    /** Runs the check against the appservice of the session. */
    @FunctionalInterface
    interface Body {
        Verdict run(Session s);
    }

    static CheckDef must(String id, String section, String sends, String passes, Body body) {
        return new CheckDef(new ConformanceCheck(id, Level.MUST, section, sends, passes), body);
    }

    static CheckDef should(String id, String section, String sends, String passes, Body body) {
        return new CheckDef(new ConformanceCheck(id, Level.SHOULD, section, sends, passes), body);
    }
}
