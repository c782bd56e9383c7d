package dev.fakehomeserver.internal.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The parked waits under the held /sync and the control API's waits: change, deadline, capacity, bug, close. */
class ParkedWaitsTest {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicReference<String> state = new AtomicReference<>("");

    private void change(String to) {
        state.set(to);
        listeners.forEach(Runnable::run);
    }

    private ParkedWaits.Wait<String> untilDone() {
        return new ParkedWaits.Wait<>() {
            @Override
            public String ready() {
                return state.get().equals("done") ? "ready" : null;
            }

            @Override
            public String atDeadline() {
                return "deadline:" + state.get();
            }
        };
    }

    @Test
    void a_change_that_answers_completes_the_wait_and_the_count_is_down_before_the_answer_is_seen() throws Exception {
        ParkedWaits<String> waits = new ParkedWaits<>(listeners::add, "test-waits", 10, count::addAndGet);
        CompletableFuture<String> f = waits.park(untilDone(), TimeUnit.MINUTES.toNanos(1));
        assertThat(count).hasValue(1);
        change("still not");
        assertThat(f).isNotDone();
        CompletableFuture<Integer> countWhenAnswered = f.thenApply(answer -> count.get());
        change("done");
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("ready");
        assertThat(countWhenAnswered.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(waits.size()).isZero();
        waits.close("closed");
    }

    @Test
    void the_deadline_answers_with_a_last_look() throws Exception {
        ParkedWaits<String> waits = new ParkedWaits<>(listeners::add, "test-waits", 10, count::addAndGet);
        state.set("idle");
        assertThat(waits.park(untilDone(), 0).get(30, TimeUnit.SECONDS)).isEqualTo("deadline:idle");
        assertThat(count).hasValue(0);
        waits.close("closed");
    }

    @Test
    void a_full_set_parks_nothing_and_close_answers_every_parked_wait() throws Exception {
        ParkedWaits<String> waits = new ParkedWaits<>(listeners::add, "test-waits", 2, count::addAndGet);
        CompletableFuture<String> a = waits.park(untilDone(), TimeUnit.MINUTES.toNanos(1));
        CompletableFuture<String> b = waits.park(untilDone(), TimeUnit.MINUTES.toNanos(1));
        assertThat(waits.park(untilDone(), TimeUnit.MINUTES.toNanos(1))).isNull();
        assertThat(count).hasValue(2);
        waits.close("closed");
        assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo("closed");
        assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo("closed");
        assertThat(count).hasValue(0);
    }

    @Test
    void a_wait_that_throws_completes_exceptionally_and_leaves_the_others_parked() throws Exception {
        ParkedWaits<String> waits = new ParkedWaits<>(listeners::add, "test-waits", 10, count::addAndGet);
        CompletableFuture<String> broken = waits.park(new ParkedWaits.Wait<>() {
            @Override
            public String ready() {
                throw new IllegalStateException("bug");
            }

            @Override
            public String atDeadline() {
                return "never";
            }
        }, TimeUnit.MINUTES.toNanos(1));
        CompletableFuture<String> fine = waits.park(untilDone(), TimeUnit.MINUTES.toNanos(1));
        assertThatThrownBy(() -> broken.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("bug");
        change("done");
        assertThat(fine.get(30, TimeUnit.SECONDS)).isEqualTo("ready");
        waits.close("closed");
    }
}
