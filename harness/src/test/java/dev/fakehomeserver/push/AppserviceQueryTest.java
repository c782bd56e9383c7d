package dev.fakehomeserver.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.testing.ScriptedAppservice;
import dev.fakehomeserver.testing.ScriptedAppservice.Answer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** spec-digest §2.4–2.5, synapse-observed §7: the user query before a push, and the alias query. */
class AppserviceQueryTest {

    @Test
    void inviting_an_unregistered_namespaced_user_queries_the_appservice_first_and_pushes_the_invite_anyway() {
        try (PushFixture f = new PushFixture()) {
            f.as.on("/users/", r -> Answer.json(404, "{\"errcode\":\"M_NOT_FOUND\"}"));
            String alice = f.user("alice");
            String room = f.room(alice);
            f.invite(alice, "@weather_ghost:test", room);
            f.awaitIdle();
            var reqs = f.as.requests();
            assertThat(reqs).first().satisfies(q -> {
                assertThat(q.method()).isEqualTo("GET");
                assertThat(q.path()).isEqualTo("/_matrix/app/v1/users/%40weather_ghost%3Atest");
                assertThat(q.header("Authorization")).isEqualTo("Bearer " + f.reg.hsToken());
            });
            assertThat(reqs.get(1).isTransaction()).isTrue();
            assertThat(reqs.get(1).body()).contains("@weather_ghost:test");
            assertThat(f.hs.transactions().records()).first()
                    .extracting(RecordedTransaction::kind, RecordedTransaction::status)
                    .containsExactly(RecordedTransaction.Kind.USER_QUERY, 404);
        }
    }

    @Test
    void known_users_and_the_appservice_sender_are_not_queried() {
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            f.invite(bob, "@weatherbot:test", room);
            f.awaitIdle();
            assertThat(f.as.requests()).allSatisfy(r -> assertThat(r.isTransaction()).isTrue());
        }
    }

    @Test
    void an_open_user_query_holds_back_the_appservices_queue_but_not_the_request_that_made_the_event()
            throws Exception {
        try (PushFixture f = new PushFixture()) {
            CountDownLatch answer = new CountDownLatch(1);
            CountDownLatch asked = new CountDownLatch(1);
            f.as.on("/users/", r -> {
                asked.countDown();
                TransactionBatchingTest.await(answer);
                return Answer.ok();
            });
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            f.awaitIdle();
            int before = f.as.transactions().size();
            f.invite(bob, "@weather_ghost:test", room);       // returned at once: the query runs on its own
            String later = f.send(bob, room, "after the invite");
            assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(f.as.transactions()).hasSize(before);
            assertThat(f.hs.appserviceStatus("weather").queuedEvents()).isEqualTo(2);
            answer.countDown();
            f.awaitIdle();
            assertThat(f.receivedEventIds()).endsWith(later);
        }
    }

    @Test
    void the_alias_query_asks_the_appservice_of_the_namespace_and_completes_whatever_it_answers() {
        try (PushFixture f = new PushFixture()) {
            f.as.on("/rooms/", r -> Answer.json(500, "oops"));
            f.s.calls().queryAlias("#weather_paris:test").toCompletableFuture().join();
            f.s.calls().queryAlias("#elsewhere:test").toCompletableFuture().join();
            assertThat(f.as.requests()).singleElement().satisfies(r -> {
                assertThat(r.method()).isEqualTo("GET");
                assertThat(r.path()).isEqualTo("/_matrix/app/v1/rooms/%23weather_paris%3Atest");
            });
            assertThat(f.hs.transactions().records()).singleElement()
                    .extracting(RecordedTransaction::kind).isEqualTo(RecordedTransaction.Kind.ALIAS_QUERY);
        }
    }

    @Test
    void the_alias_query_stops_at_the_first_appservice_that_answers_2xx() {
        try (ScriptedAppservice second = ScriptedAppservice.start();
             PushFixture f = new PushFixture(r -> r, b -> b.registration(dev.fakehomeserver.Registration
                     .builder("other").url(second.url()).senderLocalpart("otherbot")
                     .aliases("#weather_.*:test", false).build()))) {
            f.s.calls().queryAlias("#weather_paris:test").toCompletableFuture().join();
            assertThat(f.as.requests()).hasSize(1);
            assertThat(second.requests()).isEmpty();

            f.as.on("/rooms/", r -> Answer.json(404, "{}"));
            f.s.calls().queryAlias("#weather_rome:test").toCompletableFuture().join();
            assertThat(second.requests()).singleElement()
                    .satisfies(r -> assertThat(r.path()).endsWith("/rooms/%23weather_rome%3Atest"));
        }
    }
}
