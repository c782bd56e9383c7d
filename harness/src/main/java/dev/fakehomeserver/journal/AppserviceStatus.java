package dev.fakehomeserver.journal;

import java.time.Instant;

/**
 * A snapshot of the homeserver's push state for one appservice.
 *
 * <pre>{@code
 * AppserviceStatus s = hs.appserviceStatus("weather");
 * if (s.down()) {
 *     System.out.println(s.queuedTransactions() + " transactions wait; next retry at " + s.nextRetry());
 * }
 * }</pre>
 *
 * @param appserviceId the appservice
 * @param down whether the homeserver marked it down after a failed transaction (Synapse's {@code DOWN})
 * @param inFlight whether a transaction or retry is being sent right now
 * @param queuedTransactions transactions created but not yet delivered (the one being retried included)
 * @param queuedEvents events waiting to be put into a transaction
 * @param queuedEphemeral ephemeral items (typing, receipts, presence) waiting
 * @param nextRetry when the next retry is due on the homeserver's clock, or null when none is scheduled
 * @param backoffSeconds the delay that was used for the scheduled retry (2, 4, ... 512), or 0 when up
 */
public record AppserviceStatus(String appserviceId, boolean down, boolean inFlight, int queuedTransactions,
                               int queuedEvents, int queuedEphemeral, Instant nextRetry, long backoffSeconds) {}
