package dev.fakehomeserver.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.junit5.scenarios.ClockParameterScenario;
import dev.fakehomeserver.junit5.scenarios.DeclarativeScenario;
import dev.fakehomeserver.junit5.scenarios.FailingAssertionScenario;
import dev.fakehomeserver.junit5.scenarios.KeepOpenScenario;
import dev.fakehomeserver.junit5.scenarios.NestedScenario;
import dev.fakehomeserver.junit5.scenarios.ParallelScenarios;
import dev.fakehomeserver.junit5.scenarios.PerMethodInBeforeAllScenario;
import dev.fakehomeserver.junit5.scenarios.PerMethodScenario;
import dev.fakehomeserver.junit5.scenarios.PlatformParameterScenario;
import dev.fakehomeserver.junit5.scenarios.ProgrammaticScenario;
import dev.fakehomeserver.junit5.scenarios.ResetScenario;
import dev.fakehomeserver.junit5.scenarios.SeedScenario;
import dev.fakehomeserver.junit5.scenarios.ViolationScenario;
import dev.fakehomeserver.junit5.scenarios.VirtualClockScenario;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

class FakeHomeserverExtensionTest {
    private static Events run(Class<?>... classes) {
        var req = EngineTestKit.engine("junit-jupiter");
        for (Class<?> c : classes) {
            req = req.selectors(selectClass(c));
        }
        return req.execute().testEvents();
    }

    @Test
    void injects_the_configured_server_with_the_annotation() {
        run(DeclarativeScenario.class).assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void injects_the_server_of_a_registered_extension_into_before_all_and_tests() {
        run(ProgrammaticScenario.class).assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void runs_the_server_on_a_virtual_clock_that_tests_take_as_a_parameter() {
        run(VirtualClockScenario.class).assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void turns_the_hosting_platform_on_from_the_configuration_parameter_and_refuses_an_unknown_plan() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(PlatformParameterScenario.class))
                .configurationParameter("fakehomeserver.platform", "Business")
                .execute().testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(PlatformParameterScenario.class))
                .configurationParameter("fakehomeserver.platform", "gold")
                .execute().containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(message(
                        "FakeHomeserver: platform = \"gold\": No plan 'gold'; the platform's plans are [free, "
                                + "starter, pro, business], or none"))));
    }

    @Test
    void gives_a_virtual_clock_when_the_configuration_parameter_asks_for_one() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(ClockParameterScenario.class))
                .configurationParameter("fakehomeserver.virtualClock", "true")
                .execute().testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void refuses_a_virtual_clock_parameter_on_a_system_clock_server_saying_what_to_do() {
        run(ClockParameterScenario.class).assertThatEvents().haveExactly(1, event(finishedWithFailure(
                message(m -> m.contains("takes a VirtualClock, but this server runs on")
                        && m.contains("@FakeHomeserverConfig(virtualClock = true)")))));
    }

    @Test
    void resets_the_per_class_server_between_tests() {
        run(ResetScenario.class).assertStatistics(s -> s.started(2).succeeded(2));
    }

    @Test
    void shares_the_outer_server_with_nested_classes() {
        run(NestedScenario.class).assertStatistics(s -> s.started(3).succeeded(3));
    }

    @Test
    void starts_a_fresh_server_per_method_when_the_configuration_parameter_says_so() {
        PerMethodScenario.SEEN.clear();
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(PerMethodScenario.class))
                .configurationParameter("fakehomeserver.lifecycle", "per_method")
                .execute().testEvents().assertStatistics(s -> s.started(3).succeeded(3));
        assertThat(PerMethodScenario.SEEN).hasSize(3);
    }

    @Test
    void refuses_a_per_method_server_in_before_all_saying_what_to_do() {
        var events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(PerMethodInBeforeAllScenario.class))
                .execute().containerEvents();
        events.assertThatEvents().haveAtLeastOne(event(finishedWithFailure(
                message(m -> m.contains("with lifecycle PER_METHOD there is no server outside a test method")
                        && m.contains("use lifecycle PER_CLASS")))));
    }

    @Test
    void runs_classes_in_parallel_each_with_its_own_server() {
        ParallelScenarios.bothRunning = new CountDownLatch(2);
        ParallelScenarios.PORTS.clear();
        runInParallel(EngineTestKit.engine("junit-jupiter"));
        assertThat(ParallelScenarios.PORTS).hasSize(2);
    }

    /** Both parallel scenarios, as concurrent classes: both must pass, so both ran at the same time. */
    private static void runInParallel(org.junit.platform.testkit.engine.EngineTestKit.Builder engine) {
        engine.selectors(selectClass(ParallelScenarios.Left.class), selectClass(ParallelScenarios.Right.class))
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "same_thread")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
                .execute().testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    }

    @Test
    void parallel_classes_on_one_seed_each_draw_their_own_sequence() {
        ParallelScenarios.bothRunning = new CountDownLatch(2);
        ParallelScenarios.FIRST_ROOMS.clear();
        runInParallel(EngineTestKit.engine("junit-jupiter").configurationParameter("fakehomeserver.seed", "42"));
        // Neither took an id from the other's sequence: both made the first room of seed 42.
        try (Homeserver alone = Homeserver.builder().randomSeed(42).start()) {
            assertThat(ParallelScenarios.FIRST_ROOMS).containsExactly(alone.user("@alice:test").createRoom());
        }
    }

    @Test
    void takes_the_seed_of_the_annotation_and_adds_it_to_a_failure_that_is_not_the_fakes() {
        Events events = run(SeedScenario.class);
        events.assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        events.assertThatEvents().haveExactly(1, event(finishedWithFailure(
                org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf(IllegalStateException.class),
                message("the bot crashed"),
                org.junit.platform.testkit.engine.TestExecutionResultConditions.suppressed(0,
                        message("Seed 7: replay with -Dfakehomeserver.seed=7 (standalone jar: --seed 7)")))));
    }

    @Test
    void fails_a_test_that_ends_with_unexpected_violations_listing_them() {
        Events events = run(ViolationScenario.class);
        events.assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        events.assertThatEvents().haveExactly(1, event(finishedWithFailure(message(m ->
                m.startsWith("The fake homeserver refused 1 request this test did not expect:\n  #1 GET "
                        + "/account/whoami (anonymous) -> 401 M_UNKNOWN_TOKEN")
                        && m.contains("hs.allowViolation(\"M_...\")")))));
    }

    @Test
    void does_not_fail_on_violations_when_the_parameter_turns_the_check_off() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(ViolationScenario.class))
                .configurationParameter("fakehomeserver.failOnViolations", "false")
                .execute().testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    }

    @Test
    void shows_the_timeline_and_journal_in_a_failing_assertion() {
        Events events = run(FailingAssertionScenario.class);
        events.assertStatistics(s -> s.started(1).failed(1));
        events.assertThatEvents().haveExactly(1, event(finishedWithFailure(message(m ->
                m.startsWith("Expecting the timeline of room !")
                        && m.contains("but its messages from @alice:test have other bodies.")
                        && m.contains("Journal of @alice:test, 1 request:\n  #1 GET /_matrix/client/v3/account/whoami")
                        && m.contains("Near misses:")))));
    }

    @Test
    void keeps_a_failed_tests_fake_open_and_puts_a_console_link_in_the_message() throws Exception {
        KeepOpenScenario.server = new java.util.concurrent.CompletableFuture<>();
        var result = new java.util.concurrent.atomic.AtomicReference<Events>();
        Thread runner = new Thread(() -> result.set(EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(KeepOpenScenario.class))
                .configurationParameter("fakehomeserver.keepOpenOnFailure", "10m").execute().testEvents()));
        runner.start();
        Homeserver hs = KeepOpenScenario.server.get(30, java.util.concurrent.TimeUnit.SECONDS);
        var http = java.net.http.HttpClient.newHttpClient();
        var page = java.net.http.HttpRequest.newBuilder(java.net.URI.create(hs.url() + "/_fakehs/console/")).build();
        // The test failed and is waiting: its fake still answers, and its console is on.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                http.send(page, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        assertThat(hs.rooms()).hasSize(1);
        runner.interrupt(); // what Ctrl-C would end; the scenario stops waiting and reports
        runner.join(30_000);
        result.get().assertStatistics(s -> s.started(1).failed(1));
        result.get().assertThatEvents().haveExactly(1, event(finishedWithFailure(message(m ->
                m.startsWith("the bot never answered\n")
                        && m.contains("fails(Homeserver) failed; its fake stayed open for 10 min: look at it in the console "
                                + hs.url() + "/_fakehs/console/#code=")))));
    }

    @Test
    void refuses_a_keep_open_time_that_is_not_a_duration() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(KeepOpenScenario.class))
                .configurationParameter("fakehomeserver.keepOpenOnFailure", "five minutes").execute().testEvents();
        events.assertThatEvents().haveExactly(1, event(finishedWithFailure(message(m ->
                m.contains("keepOpenOnFailure=five minutes is not a duration")))));
    }
}
