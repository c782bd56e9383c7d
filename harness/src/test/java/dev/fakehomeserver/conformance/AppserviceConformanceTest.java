package dev.fakehomeserver.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.conformance.TestAppservice.Breaks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kit against small appservices of our own: a correct one passes every check; each broken one, breaking one
 * rule, fails exactly the checks of that rule (and passes the rest).
 */
class AppserviceConformanceTest {
    private static Homeserver hs;

    @BeforeAll
    static void start() {
        // A virtual clock: a failed push is retried only when a check asks for it (the retry check, a ping),
        // never by a timer racing the checks, so which checks a broken appservice fails does not depend on the
        // machine's speed (a 2 s timed retry landing inside or outside a check's wait made this test flaky).
        hs = Homeserver.builder().clock(new dev.fakehomeserver.VirtualClock()).registration(Registration.builder("probe").senderLocalpart("probebot")
                .users("@probe_.*:test", true).aliases("#probe_.*:test", true).protocol("conformance")
                .receiveEphemeral(true).msc2409PushEphemeral(true).build()).start();
    }

    @AfterAll
    static void stop() {
        hs.close();
    }

    @BeforeEach
    void reset() {
        hs.reset();
    }

    private static ConformanceReport runAgainst(Breaks breaks) throws Exception {
        Registration reg = hs.registration("probe");
        try (TestAppservice as = new TestAppservice(hs.url(), "test", "probe", reg.asToken(), reg.hsToken(), breaks)) {
            hs.setAppserviceUrl("probe", as.url());
            // A short timeout only where the slowness is the point; a loaded machine must not fail the others.
            ConformanceReport report = kit(breaks == Breaks.SLOW_UNKNOWN_PATH ? 3 : 15).run();
            hs.awaitAppserviceIdle("probe", Duration.ofSeconds(5));
            return report;
        }
    }

    private static AppserviceConformance kit(int requestTimeoutSeconds) {
        return AppserviceConformance.of(hs, "probe").probe("probe").quietPeriod(Duration.ofMillis(200))
                .reactionTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(requestTimeoutSeconds));
    }

    private static Set<String> notPassing(ConformanceReport r) {
        Set<String> out = new TreeSet<>();
        r.results().stream().filter(x -> x.outcome() != Outcome.PASS).forEach(x -> out.add(x.check().id()));
        return out;
    }

    @Test
    void a_correct_appservice_passes_every_check() throws Exception {
        ConformanceReport report = runAgainst(Breaks.NOTHING);

        assertThat(notPassing(report)).as(report.table()).isEmpty();
        assertThat(report.conformsTo(Level.SHOULD)).isTrue();
        assertThat(report.results()).hasSameSizeAs(AppserviceConformance.catalogue());
        assertThat(report.created()).as("says what it created").anyMatch(c -> c.startsWith("user @conformance-kit-"))
                .anyMatch(c -> c.startsWith("room !"));
    }

    static Stream<Arguments> broken() {
        return Map.ofEntries(
                Map.entry(Breaks.ACCEPTS_NO_TOKEN, List.of("auth.txn.no_token", "auth.user_query.no_token",
                        "auth.alias_query.no_token", "auth.ping.no_token", "route.legacy_auth")),
                Map.entry(Breaks.WRONG_TOKEN_401_AUTH_FAILED, List.of("auth.txn.wrong_token",
                        "auth.user_query.wrong_token", "auth.alias_query.wrong_token", "auth.ping.wrong_token")),
                // the ping check too: Synapse pings with the header only, never the query token
                Map.entry(Breaks.REFUSES_HEADER_TOKEN, List.of("auth.txn.header_only", "auth.user_query.header_only",
                        "auth.alias_query.header_only", "auth.ping.header_only", "ping.transaction_id")),
                Map.entry(Breaks.REFUSES_QUERY_TOKEN, List.of("auth.txn.query_only", "auth.user_query.query_only",
                        "auth.alias_query.query_only", "auth.ping.query_only")),
                Map.entry(Breaks.PROCESSES_REPEATED_TXN, List.of("txn.duplicate_processed_once")),
                // every check that sends a transaction reads its answer as Synapse does; and a pushed transaction
                // that failed holds back what the homeserver pushes after it (the user query does not wait for the
                // queue: Synapse asks before it enqueues, and the kit waits for the query even while down)
                Map.entry(Breaks.EMPTY_2XX_BODY, List.of("auth.txn.header_only", "auth.txn.query_only",
                        "txn.json_object", "txn.duplicate_processed_once", "txn.empty_events", "txn.hundred_events",
                        "txn.ephemeral", "txn.unknown_event_type", "route.legacy_transactions",
                        "faults.retry_processed_once")),
                // Synapse pushes ephemeral data with "events": [], and retries it so after dropping the ephemeral data
                Map.entry(Breaks.REFUSES_EMPTY_EVENTS, List.of("txn.empty_events", "txn.ephemeral",
                        "txn.unknown_event_type", "faults.retry_processed_once")),
                Map.entry(Breaks.REFUSES_OVER_50_EVENTS, List.of("txn.hundred_events")),
                // held back behind the failed push until the retry check's retry, which drops ephemeral data as Synapse does
                Map.entry(Breaks.REFUSES_EPHEMERAL, List.of("txn.ephemeral", "txn.unknown_event_type")),
                // the failed transaction is retried forever and holds back every later push
                Map.entry(Breaks.FAILS_UNKNOWN_EVENT_TYPES, List.of("txn.unknown_event_type",
                        "faults.retry_processed_once")),
                Map.entry(Breaks.UNKNOWN_PATH_500, List.of("route.unknown_path")),
                Map.entry(Breaks.WRONG_METHOD_404, List.of("route.wrong_method")),
                Map.entry(Breaks.LEGACY_PATH_500, List.of("route.legacy_transactions")),
                Map.entry(Breaks.LEGACY_PATH_SKIPS_TOKEN, List.of("route.legacy_auth")),
                Map.entry(Breaks.USER_QUERY_200_WITHOUT_CREATING, List.of("query.user.exists_once_created")),
                Map.entry(Breaks.ALIAS_QUERY_200_WITHOUT_CREATING, List.of("query.alias.exists_once_created")),
                Map.entry(Breaks.OUTSIDE_NAMESPACE_200, List.of("query.user.outside_namespace",
                        "query.alias.outside_namespace")),
                Map.entry(Breaks.PROTOCOL_WITHOUT_INSTANCES, List.of("thirdparty.protocol")),
                Map.entry(Breaks.LOOKUP_NOT_A_LIST, List.of("thirdparty.lookups")),
                Map.entry(Breaks.PING_EMPTY_BODY, List.of("auth.ping.header_only", "auth.ping.query_only",
                        "ping.transaction_id")),
                Map.entry(Breaks.TXN_IDS_AS_A_COUNTER, List.of("txn.duplicate_processed_once",
                        "faults.retry_processed_once")),
                Map.entry(Breaks.SLOW_UNKNOWN_PATH, List.of("route.unknown_path", "faults.answers_in_time")))
                .entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    /** Issue 18's acceptance: no check is shown only to pass; each one has an appservice built to fail it. */
    @Test
    void every_check_of_the_catalogue_is_failed_by_an_appservice_built_to_break_it() {
        Set<String> failedSomewhere = new TreeSet<>();
        broken().forEach(a -> {
            @SuppressWarnings("unchecked")
            List<String> ids = (List<String>) a.get()[1];
            failedSomewhere.addAll(ids);
        });
        Set<String> catalogue = new TreeSet<>();
        AppserviceConformance.catalogue().forEach(c -> catalogue.add(c.id()));

        assertThat(catalogue).hasSize(35);
        assertThat(failedSomewhere).as("ids no check has").isSubsetOf(catalogue);
        assertThat(catalogue).as("checks no broken appservice fails").isSubsetOf(failedSomewhere);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void an_appservice_breaking_one_rule_fails_exactly_its_checks(Breaks breaks, List<String> expected)
            throws Exception {
        ConformanceReport report = runAgainst(breaks);

        assertThat(notPassing(report)).as(report.table()).containsExactlyInAnyOrderElementsOf(expected);
        for (String id : expected) {
            CheckResult r = report.result(id);
            assertThat(r.outcome()).as(r.toString())
                    .isEqualTo(r.check().level() == Level.MUST ? Outcome.FAIL : Outcome.WARN);
        }
        assertThat(report.conformsTo(Level.MUST))
                .isEqualTo(expected.stream().allMatch(id -> report.result(id).check().level() == Level.SHOULD));
    }

    @TestFactory
    Stream<DynamicTest> the_dynamic_tests_of_a_correct_appservice_all_pass() throws Exception {
        Registration reg = hs.registration("probe");
        TestAppservice as = new TestAppservice(hs.url(), "test", "probe", reg.asToken(), reg.hsToken(), Breaks.NOTHING);
        hs.setAppserviceUrl("probe", as.url());
        return Stream.concat(kit(15).tests(), Stream.of(DynamicTest.dynamicTest("stop the appservice", () -> {
            hs.awaitAppserviceIdle("probe", Duration.ofSeconds(5));
            as.close();
        })));
    }
}
