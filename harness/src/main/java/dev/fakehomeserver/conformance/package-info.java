/**
 * The appservice conformance kit: the homeserver checks the appservice's side of the contract (hs_token checks,
 * each txnId processed once, JSON answers, unknown routes, queries, ping, retries), sending exactly what a
 * homeserver sends and, on purpose, the wrong things. Start with {@link dev.fakehomeserver.conformance.AppserviceConformance}.
 */
package dev.fakehomeserver.conformance;
