package dev.fakehomeserver.internal.push;

/** Decides, before a request to an appservice is sent, whether a test asked it to fail ({@code hs.faults()}). */
@FunctionalInterface
public interface OutboundFaults {
    /** No faults at all. */
    OutboundFaults NONE = (appserviceId, transaction) -> null;

    /**
     * @param transaction whether it is a transaction push (else a query, ping or third-party lookup)
     * @return the error text to record for a request that is failed without being sent, or null to send it
     */
    String decide(String appserviceId, boolean transaction);

    /** Whether the answer to the transaction about to be sent is to be lost, counting it if so. */
    default boolean loseAnswer(String appserviceId) {
        return false;
    }

    /** Whether pushes to the appservice are held ({@code pausePushes}). */
    default boolean paused(String appserviceId) {
        return false;
    }
}
