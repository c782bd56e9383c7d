package dev.fakehomeserver.faults;

import dev.fakehomeserver.journal.Violation;

/**
 * Makes the homeserver see one appservice as unreachable, from {@code hs.faults().appservice("weather")}. A
 * faulted request never leaves the homeserver: the transaction pusher gets the same failure a refused connection
 * gives, so everything Synapse does then follows on its own: the appservice is marked down, the transaction is
 * kept with its txnId, retries come after 2, 4, 8 ... s on the homeserver's clock, ephemeral data is dropped.
 * The journal records each faulted attempt with status 0 and an error ending in
 * {@value Violation#INJECTED_MARKER}.
 *
 * <pre>{@code
 * hs.faults().appservice("weather").failTransactions(2);   // the next two pushes fail
 * hs.user("@alice:test").send(room, "!weather Paris");
 * assertThat(hs).eventually().appservice("weather").isDown();
 * clock.advance(Duration.ofSeconds(2));                     // first retry: fails too (the second failure)
 * clock.advance(Duration.ofSeconds(4));                     // second retry: delivered
 * assertThat(hs).eventually().appservice("weather").isUp().receivedMessage("@alice:test", "!weather Paris");
 *
 * hs.faults().appservice("weather").markDown();            // every request fails, queries and ping too ...
 * hs.faults().appservice("weather").markUp();              // ... until this; then retry at once with
 * hs.retryAppserviceNow("weather");                         // (or wait for the scheduled retry)
 * }</pre>
 *
 * <p>{@link #markUp()} does not retry by itself, as a real homeserver does not notice an appservice coming back
 * before its next scheduled retry (or a successful ping). {@code hs.reset()} clears these faults.
 */
public interface AppserviceFaults {
    /** The appservice these faults apply to. */
    String appserviceId();

    /**
     * The next {@code n} transaction attempts (first sends and retries alike) fail without reaching the
     * appservice; added to any failures still pending. Queries and pings are not affected.
     *
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    AppserviceFaults failTransactions(int n);

    /**
     * The next {@code n} transactions reach the appservice, but their answers are lost on the way back, as when
     * the appservice handled a push and then timed out: the homeserver counts each a failure and sends it again
     * later with the same txnId, so the appservice sees a txnId it already handled (it must not act twice).
     * Recorded with the appservice's status and an error ending in {@value Violation#INJECTED_MARKER}.
     *
     * <pre>{@code
     * hs.faults().appservice("weather").loseAnswers(1);
     * alice.send(room, "!weather paris");                       // handled by the bot; the homeserver thinks not
     * clock.advance(Duration.ofSeconds(2));                     // the same txnId again: the bot answers once
     * }</pre>
     *
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    AppserviceFaults loseAnswers(int n);

    /**
     * Holds every push to the appservice until {@link #resumePushes()}: events wait in its queue (it is not marked
     * down), then go in transactions of up to 100 events, as after a homeserver's busy spell. Queries and pings
     * still go.
     *
     * <pre>{@code
     * hs.faults().appservice("weather").pausePushes();
     * for (int i = 0; i < 150; i++) alice.send(room, "message " + i);
     * hs.faults().appservice("weather").resumePushes();        // two transactions: 100 events, then 50
     * }</pre>
     */
    AppserviceFaults pausePushes();

    /** Lets pushes go again after {@link #pausePushes()}: what waited goes at once. */
    AppserviceFaults resumePushes();

    /** Every request to the appservice (transactions, user and alias queries, ping, third-party) fails until {@link #markUp()}. */
    AppserviceFaults markDown();

    /** Lets requests through again and forgets pending {@link #failTransactions} failures; retries nothing by itself. */
    AppserviceFaults markUp();

    /** Whether {@link #markDown()} is in force. */
    boolean isMarkedDown();

    /** Whether {@link #pausePushes()} is in force. */
    boolean isPaused();

    /** How many of the {@link #loseAnswers} lost answers are still to come. */
    int pendingLostAnswers();

    /** How many of the {@link #failTransactions} failures are still to come. */
    int pendingTransactionFailures();

    /** How many requests these faults have failed so far. */
    int hits();
}
