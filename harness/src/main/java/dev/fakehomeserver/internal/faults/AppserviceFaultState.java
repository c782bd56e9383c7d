package dev.fakehomeserver.internal.faults;

import dev.fakehomeserver.faults.AppserviceFaults;
import dev.fakehomeserver.journal.Violation;

/** The faults of one appservice's outbound requests; {@link #decide} is the server's, through {@link FaultBook}. */
final class AppserviceFaultState implements AppserviceFaults {
    private final String appserviceId;
    private int failTransactions;
    private int loseAnswers;
    private boolean down;
    private boolean paused;
    private int hits;
    /** Sends what waited once pushes are resumed (outside this monitor: the pusher takes its own). */
    private final Runnable resumed;

    AppserviceFaultState(String appserviceId, Runnable resumed) {
        this.appserviceId = appserviceId;
        this.resumed = resumed;
    }

    @Override
    public synchronized AppserviceFaults loseAnswers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("loseAnswers needs at least 1, was " + n);
        }
        loseAnswers += n;
        return this;
    }

    @Override
    public AppserviceFaults pausePushes() {
        synchronized (this) {
            paused = true;
        }
        return this;
    }

    @Override
    public AppserviceFaults resumePushes() {
        synchronized (this) {
            paused = false;
        }
        resumed.run();
        return this;
    }

    synchronized boolean paused() {
        return paused;
    }

    @Override
    public boolean isPaused() {
        return paused();
    }

    @Override
    public synchronized int pendingLostAnswers() {
        return loseAnswers;
    }

    /** Whether the answer to the transaction being sent is lost, counting it if so. */
    synchronized boolean loseAnswer() {
        if (loseAnswers > 0) {
            loseAnswers--;
            hits++;
            return true;
        }
        return false;
    }

    @Override
    public String appserviceId() {
        return appserviceId;
    }

    @Override
    public synchronized AppserviceFaults failTransactions(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("failTransactions needs at least 1, was " + n);
        }
        failTransactions += n;
        return this;
    }

    @Override
    public synchronized AppserviceFaults markDown() {
        down = true;
        return this;
    }

    @Override
    public synchronized AppserviceFaults markUp() {
        down = false;
        failTransactions = 0;
        loseAnswers = 0;
        return this;
    }

    /** Back to no faults and no hits ({@code hs.reset()}). */
    synchronized void clear() {
        markUp();
        loseAnswers = 0;
        paused = false;
        hits = 0;
    }

    @Override
    public synchronized boolean isMarkedDown() {
        return down;
    }

    @Override
    public synchronized int pendingTransactionFailures() {
        return failTransactions;
    }

    @Override
    public synchronized int hits() {
        return hits;
    }

    /**
     * Whether the next request fails, counting it if so.
     *
     * @param transaction whether it is a transaction push (else a query, ping or lookup)
     * @return the error text to record, or null to send it normally
     */
    synchronized String decide(boolean transaction) {
        if (down) {
            hits++;
            return "appservice marked down " + Violation.INJECTED_MARKER;
        }
        if (transaction && failTransactions > 0) {
            failTransactions--;
            hits++;
            return "injected transaction failure " + Violation.INJECTED_MARKER;
        }
        return null;
    }

    @Override
    public synchronized String toString() {
        return "AppserviceFaults[" + appserviceId + (down ? ", marked down" : "")
                + (failTransactions > 0 ? ", " + failTransactions + " transaction failures pending" : "")
                + (loseAnswers > 0 ? ", " + loseAnswers + " answers to lose" : "") + (paused ? ", pushes paused" : "")
                + ", hits=" + hits + "]";
    }
}
