package dev.fakehomeserver.events;

import java.time.Duration;

/**
 * An actor's own {@code /sync} stream, for tests of bots and bridges that sync: what a client logged in as that
 * user (on the actor's device) would get from {@code GET /sync}, as the same JSON text, read in process.
 * Each {@link #poll()} continues where the previous one ended (the first one is an initial sync), so a test
 * can check what a syncing client sees, step by step.
 *
 * <pre>{@code
 * Actor alice = hs.user("@alice:test");
 * SyncFeed feed = alice.sync();
 * feed.poll();                                      // initial sync: every room alice is in
 * hs.user("@bob:test").send(room, "hi alice");
 * String next = feed.poll(Duration.ofSeconds(5));   // answers as soon as bob's message is there
 * assertThat(next).contains("hi alice");
 * }</pre>
 *
 * <p>A feed is not thread-safe; use one per thread. The answer has every section, even when empty.
 */
public interface SyncFeed {
    /** One sync from the feed's position, answered at once; the {@code /sync} body as JSON text. */
    String poll();

    /**
     * One sync that waits up to {@code timeout} for news, as a long poll does (only the calling thread waits);
     * after the timeout, the answer with empty sections. An initial sync answers at once.
     */
    String poll(Duration timeout);

    /** The token the next poll starts from ({@code next_batch} of the last answer), or null before the first. */
    String since();
}
