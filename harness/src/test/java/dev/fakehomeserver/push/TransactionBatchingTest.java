package dev.fakehomeserver.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.TestRegistrations;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.CoreAccess;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.testing.ScriptedAppservice;
import dev.fakehomeserver.testing.ScriptedAppservice.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** spec-digest §2.3 and §3.4: one transaction in flight, up to 100 events each, the body and the auth. */
class TransactionBatchingTest {

    @Test
    void a_burst_of_250_events_goes_as_1_then_100_100_and_49_in_order() {
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            f.awaitIdle();
            int before = f.as.transactions().size();
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean first = new AtomicBoolean(true);
            f.as.on("/transactions/", r -> {
                if (first.getAndSet(false)) {
                    await(release);
                }
                return Answer.ok();
            });
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                sent.add(f.send(bob, room, "burst " + i));
            }
            assertThat(f.hs.appserviceStatus("weather").queuedEvents()).isEqualTo(249);
            release.countDown();
            f.awaitIdle();

            List<ScriptedAppservice.Req> got = f.as.transactions().subList(before, f.as.transactions().size());
            assertThat(got).extracting(r -> r.eventIds().size()).containsExactly(1, 100, 100, 49);
            assertThat(got.stream().flatMap(r -> r.eventIds().stream())).containsExactlyElementsOf(sent);
            assertThat(got).extracting(r -> Long.parseLong(r.txnId())).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void a_lone_event_goes_at_once_in_the_client_v1_format_with_header_and_query_auth() {
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            f.awaitIdle();
            String alice = f.user("alice");
            f.invite(bob, alice, room);
            String id = f.send(bob, room, "hello");
            f.awaitIdle();
            ScriptedAppservice.Req req = f.as.transactions().get(f.as.transactions().size() - 1);
            assertThat(req.method()).isEqualTo("PUT");
            assertThat(req.path()).matches("/_matrix/app/v1/transactions/\\d+");
            assertThat(req.header("Authorization")).isEqualTo("Bearer " + f.reg.hsToken());
            assertThat(req.query()).isEqualTo("access_token=" + f.reg.hsToken());
            JsonNode body = req.json();
            assertThat(body.fieldNames()).toIterable().containsExactly("events");
            JsonNode e = body.get("events").get(0);
            assertThat(e.get("event_id").asText()).isEqualTo(id);
            assertThat(e.get("user_id").asText()).isEqualTo(bob);
            assertThat(e.get("sender").asText()).isEqualTo(bob);
            assertThat(e.has("age")).isTrue();
            assertThat(e.path("unsigned").has("age")).isTrue();
            assertThat(e.path("unsigned").has("transaction_id")).isFalse();
            assertThat(e.path("content").path("body").asText()).isEqualTo("hello");

            JsonNode invite = f.as.transactions().stream().flatMap(r -> {
                List<JsonNode> evs = new ArrayList<>();
                r.json().get("events").forEach(evs::add);
                return evs.stream();
            }).filter(ev -> alice.equals(ev.path("state_key").asText())).findFirst().orElseThrow();
            assertThat(invite.get("invite_room_state").isArray()).isTrue();
            assertThat(invite.path("unsigned").get("invite_room_state")).isEqualTo(invite.get("invite_room_state"));
        }
    }

    @Test
    void membership_changes_carry_prev_content_at_the_top_level() {
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            f.leave(bob, room);
            f.awaitIdle();
            JsonNode events = f.as.transactions().get(f.as.transactions().size() - 1).json().get("events");
            JsonNode leave = events.get(events.size() - 1);
            assertThat(leave.path("content").path("membership").asText()).isEqualTo("leave");
            assertThat(leave.path("prev_content").path("membership").asText()).isEqualTo("join");
        }
    }

    @Test
    void header_only_auth_like_synapse_1_90_sends_no_access_token_query_parameter() {
        try (PushFixture f = new PushFixture(r -> r, b -> b.pushAuth(true, false))) {
            f.room(f.ghost("weather_bob"));
            f.awaitIdle();
            assertThat(f.as.transactions()).allSatisfy(r -> {
                assertThat(r.query()).isEmpty();
                assertThat(r.header("Authorization")).isEqualTo("Bearer " + f.reg.hsToken());
            });
        }
    }

    @Test
    void query_only_auth_like_synapse_before_1_70_sends_no_authorization_header() {
        try (PushFixture f = new PushFixture(r -> r, b -> b.pushAuth(false, true))) {
            f.room(f.ghost("weather_bob"));
            f.awaitIdle();
            assertThat(f.as.transactions()).allSatisfy(r -> {
                assertThat(r.query()).isEqualTo("access_token=" + f.reg.hsToken());
                assertThat(r.header("Authorization")).isNull();
            });
        }
    }

    @Test
    void txn_ids_come_from_one_counter_shared_by_all_appservices() {
        try (ScriptedAppservice second = ScriptedAppservice.start();
             PushFixture f = new PushFixture(r -> r, b -> b.registration(Registration.builder("mirror")
                     .url(second.url()).senderLocalpart("mirrorbot").users("@weather_.*:test", false).build()))) {
            f.send(f.ghost("weather_bob"), f.room("@weather_bob:test"), "to both");
            f.awaitIdle();
            org.awaitility.Awaitility.await().until(() -> second.transactions().stream()
                    .mapToInt(r -> r.eventIds().size()).sum() == f.receivedEventIds().size());
            List<Long> ids = new ArrayList<>();
            f.as.transactions().forEach(r -> ids.add(Long.parseLong(r.txnId())));
            second.transactions().forEach(r -> ids.add(Long.parseLong(r.txnId())));
            assertThat(ids).doesNotHaveDuplicates();
            assertThat(ids.stream().sorted().toList()).isEqualTo(
                    java.util.stream.LongStream.rangeClosed(1, ids.size()).boxed().toList());
        }
    }

    @Test
    void an_appservice_without_url_is_sent_nothing_and_stays_up() {
        try (ScriptedAppservice unused = ScriptedAppservice.start();
             Homeserver hs = Homeserver.builder().registration(TestRegistrations.weather()).start()) {
            var s = CoreAccess.core(hs).services();
            String bob = s.accounts().registerForAppservice(CoreAccess.core(hs).model().appservice("weather"),
                    "weather_bob", true).userId();
            s.rooms().createRoom(PushFixture.who(bob), new dev.fakehomeserver.internal.model.RoomService.CreateRoom(
                    null, null, null, null, null, null, null, false, null, null, null));
            org.awaitility.Awaitility.await().until(() -> hs.appserviceStatus("weather").queuedEvents() == 0
                    && !hs.appserviceStatus("weather").inFlight());
            assertThat(hs.appserviceStatus("weather").down()).isFalse();
            assertThat(hs.transactions().records()).isEmpty();
            assertThat(unused.requests()).isEmpty();
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
