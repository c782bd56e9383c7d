package dev.fakehomeserver.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.CoreAccess;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.testing.ScriptedAppservice.Answer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** spec-digest §2.3 and §3.3: ephemeral keys, interest in typing, receipts and presence, dropping on retry. */
class EphemeralPushTest {

    private static void enqueue(PushFixture f, String json) {
        CoreAccess.core(f.hs).push().enqueueEphemeral(Json.readObject(json));
    }

    private static ObjectNode typing(String roomId) {
        ObjectNode t = Json.object().put("type", "m.typing").put("room_id", roomId);
        t.putObject("content").putArray("user_ids").add("@alice:test");
        return t;
    }

    @Test
    void without_the_opt_in_no_ephemeral_key_is_sent() {
        try (PushFixture f = new PushFixture()) {
            f.room(f.ghost("weather_bob"));
            f.awaitIdle();
            assertThat(f.as.transactions()).allSatisfy(r ->
                    assertThat(r.json().fieldNames()).toIterable().containsExactly("events"));
        }
    }

    @Test
    void typing_in_an_interesting_room_goes_under_both_keys_with_an_empty_to_device_list() {
        try (PushFixture f = new PushFixture(r -> r.receiveEphemeral(true).msc2409PushEphemeral(true), b -> b)) {
            String room = f.room(f.ghost("weather_bob"));
            String alice = f.user("alice");
            String boring = f.room(alice);
            f.awaitIdle();
            int before = f.as.transactions().size();
            CoreAccess.core(f.hs).push().enqueueEphemeral(typing(boring));
            CoreAccess.core(f.hs).push().enqueueEphemeral(typing(room));
            f.awaitIdle();
            JsonNode body = f.as.transactions().get(before).json();
            assertThat(f.as.transactions()).hasSize(before + 1);
            assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("events", "ephemeral",
                    "de.sorunome.msc2409.ephemeral", "de.sorunome.msc2409.to_device");
            assertThat(body.get("events")).isEmpty();
            assertThat(body.get("de.sorunome.msc2409.to_device")).isEmpty();
            assertThat(body.get("ephemeral")).singleElement()
                    .satisfies(e -> assertThat(e.path("room_id").asText()).isEqualTo(room));
            assertThat(body.get("de.sorunome.msc2409.ephemeral")).isEqualTo(body.get("ephemeral"));
        }
    }

    @Test
    void private_read_receipts_of_other_users_are_filtered_out() {
        try (PushFixture f = new PushFixture(r -> r.receiveEphemeral(true), b -> b)) {
            String room = f.room(f.ghost("weather_bob"));
            f.awaitIdle();
            int before = f.as.transactions().size();
            enqueue(f, "{\"type\":\"m.receipt\",\"room_id\":\"" + room + "\",\"content\":{\"$e\":{"
                    + "\"m.read\":{\"@alice:test\":{\"ts\":1}},"
                    + "\"m.read.private\":{\"@alice:test\":{\"ts\":1},\"@weather_bob:test\":{\"ts\":2}}}}}");
            f.awaitIdle();
            JsonNode receipt = f.as.transactions().get(before).json().get("ephemeral").get(0);
            assertThat(receipt.path("content").path("$e").path("m.read").has("@alice:test")).isTrue();
            assertThat(receipt.path("content").path("$e").path("m.read.private").fieldNames()).toIterable()
                    .containsExactly("@weather_bob:test");
            assertThat(f.as.transactions().get(before).json().has("de.sorunome.msc2409.ephemeral")).isFalse();
        }
    }

    @Test
    void presence_goes_for_namespaced_users_and_users_sharing_an_interesting_room() {
        try (PushFixture f = new PushFixture(r -> r.receiveEphemeral(true), b -> b)) {
            String room = f.room(f.ghost("weather_bob"));
            String alice = f.user("alice");
            f.join(alice, room);
            f.user("zed");
            f.awaitIdle();
            int before = f.as.transactions().size();
            for (String u : new String[] {"@zed:test", "@alice:test", "@weather_bob:test"}) {
                enqueue(f, "{\"type\":\"m.presence\",\"sender\":\"" + u + "\",\"content\":{\"presence\":\"online\"}}");
            }
            f.awaitIdle();
            assertThat(f.as.transactions().subList(before, f.as.transactions().size()).stream()
                    .flatMap(r -> {
                        java.util.List<String> senders = new java.util.ArrayList<>();
                        r.json().get("ephemeral").forEach(e -> senders.add(e.path("sender").asText()));
                        return senders.stream();
                    })).containsExactly("@alice:test", "@weather_bob:test");
        }
    }

    @Test
    void ephemeral_data_is_dropped_on_retry_and_while_down() {
        try (PushFixture f = new PushFixture(r -> r.receiveEphemeral(true), b -> b)) {
            String room = f.room(f.ghost("weather_bob"));
            f.awaitIdle();
            int before = f.as.transactions().size();
            AtomicInteger failures = new AtomicInteger(1);
            f.as.on("/transactions/", r -> failures.getAndDecrement() > 0 ? Answer.json(500, "{}") : Answer.ok());
            CoreAccess.core(f.hs).push().enqueueEphemeral(typing(room));
            f.awaitRetryScheduled();
            CoreAccess.core(f.hs).push().enqueueEphemeral(typing(room));
            assertThat(f.hs.appserviceStatus("weather").queuedEphemeral()).isZero();
            f.clock.advance(java.time.Duration.ofSeconds(2));
            f.awaitIdle();
            var got = f.as.transactions().subList(before, f.as.transactions().size());
            assertThat(got).hasSize(2);
            assertThat(got.get(1).txnId()).isEqualTo(got.get(0).txnId());
            assertThat(got.get(0).json().get("ephemeral")).hasSize(1);
            assertThat(got.get(1).json().get("ephemeral")).isEmpty();
            assertThat(got.get(1).json().get("events")).isEmpty();
        }
    }
}
