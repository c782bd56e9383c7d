package dev.fakehomeserver.internal.conformance;

/**
 * What a check concluded, before its level turns it into an outcome: a failure of a SHOULD check becomes WARN.
 *
 * @param kind pass, fail, warn (the MUST holds but a SHOULD detail does not, or the kit could not observe it) or skip
 * @param detail what the kit saw, and for a failure what to do about it
 */
record Verdict(Kind kind, String detail) {
    enum Kind { PASS, FAIL, WARN, SKIP }

    static Verdict pass(String detail) {
        return new Verdict(Kind.PASS, detail);
    }

    static Verdict fail(String detail) {
        return new Verdict(Kind.FAIL, detail);
    }

    static Verdict warn(String detail) {
        return new Verdict(Kind.WARN, detail);
    }

    static Verdict skip(String detail) {
        return new Verdict(Kind.SKIP, detail);
    }
}
