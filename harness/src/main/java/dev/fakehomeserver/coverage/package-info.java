/**
 * The scenario coverage report: which homeserver behaviours that break appservices in production (a retried
 * transaction, the appservice down and back, a duplicate txnId, a 429, a remote user, a redaction ...) a suite
 * made happen, per appservice. {@code hs.coverage()} reads it; the JUnit extension writes the suite's report to
 * {@code target/fake-homeserver/coverage.md}; the standalone jar serves {@code GET /_fakehs/v1/coverage}.
 */
package dev.fakehomeserver.coverage;
