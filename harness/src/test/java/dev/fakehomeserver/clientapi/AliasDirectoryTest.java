package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.V3;
import static dev.fakehomeserver.testing.Fixture.enc;
import static dev.fakehomeserver.testing.Fixture.rooms;
import static dev.fakehomeserver.testing.Fixture.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.TestAccess;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET/PUT/DELETE /directory/room/{alias}} (spec-digest §4.8, synapse-observed §4). */
class AliasDirectoryTest {
    @AutoClose
    private final Fixture f = Fixture.start();
    private String alice;
    private String room;

    @BeforeEach
    void start() {
        alice = f.register("alice");
        room = f.createRoom(alice, Map.of("preset", "public_chat"));
    }

    private static String dir(String alias) {
        return V3 + "/directory/room/" + enc(alias);
    }

    private Reply put(String token, String alias, String roomId) {
        return f.c.put(dir(alias)).token(token).json(Map.of("room_id", roomId)).send();
    }

    @Test
    void an_appservice_creates_an_alias_in_its_namespace_that_resolves_without_auth() {
        assertThat(put(f.as, "#weather_y:test", room).status()).isEqualTo(200);
        Reply r = f.c.get(dir("#weather_y:test")).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("room_id")).isEqualTo(room);
        assertThat(r.json().get("servers").get(0).asText()).isEqualTo("test");
    }

    @Test
    void a_masquerading_ghost_creates_an_alias_without_being_in_the_room_and_no_event_is_sent() {
        f.ghost("weather_bob");
        int before = TestAccess.timeline(f.hs, room).size();
        Reply r = f.c.put(dir("#weather_lyon:test")).token(f.as).asUser("@weather_bob:test")
                .json(Map.of("room_id", room)).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(TestAccess.timeline(f.hs, room)).hasSize(before);
    }

    @Test
    void refuses_an_appservice_an_alias_outside_its_namespace() {
        assertError(put(f.as, "#paris:test", room), 400, "M_EXCLUSIVE",
                "This application service has not reserved this kind of alias.");
    }

    @Test
    void refuses_an_existing_alias_with_409_M_UNKNOWN() {
        put(f.as, "#weather_y:test", room);
        Reply r = put(f.as, "#weather_y:test", room);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.errcode()).isEqualTo("M_UNKNOWN");
    }

    @Test
    void refuses_an_unknown_room_with_400_Room_does_not_exist() {
        assertError(put(f.as, "#weather_z:test", "!nope:test"), 400, "M_UNKNOWN", "Room does not exist");
    }

    @Test
    void refuses_a_human_an_alias_reserved_by_an_appservice() {
        assertError(put(alice, "#weather_h:test", room), 400, "M_EXCLUSIVE",
                "This alias is reserved by an application service.");
    }

    @Test
    void lets_a_human_in_the_room_create_a_free_alias_but_not_one_outside_it() {
        assertThat(put(alice, "#trip:test", room).status()).isEqualTo(200);
        String bob = f.register("bob");
        Reply r = put(bob, "#bobs:test", room);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void refuses_a_malformed_or_remote_alias() {
        assertThat(put(alice, "trip", room).errcode()).isEqualTo("M_INVALID_PARAM");
        Reply remote = put(alice, "#trip:elsewhere", room);
        assertThat(remote.status()).isEqualTo(400);
        assertThat(remote.error()).isEqualTo("Room alias must be local");
    }

    @Test
    void an_appservice_deletes_a_missing_alias_with_200() {
        assertThat(f.c.delete(dir("#weather_gone:test")).token(f.as).send().status()).isEqualTo(200);
    }

    @Test
    void an_appservice_deletes_its_alias_and_leaves_the_canonical_alias_alone() {
        f.ghost("weather_g");
        String own = f.createRoomAs("@weather_g:test", Map.of("room_alias_name", "weather_paris"));
        assertThat(f.c.delete(dir("#weather_paris:test")).token(f.as).send().status()).isEqualTo(200);
        assertThat(f.c.get(dir("#weather_paris:test")).send().status()).isEqualTo(404);
        assertThat(TestAccess.timeline(f.hs, own, "m.room.canonical_alias")).hasSize(1);
    }

    @Test
    void refuses_an_appservice_deleting_outside_its_namespace() {
        put(alice, "#trip:test", room);
        assertError(f.c.delete(dir("#trip:test")).token(f.as).send(), 400, "M_EXCLUSIVE",
                "This application service has not reserved this kind of alias");
        assertThat(f.c.get(dir("#trip:test")).send().status()).isEqualTo(200);
    }

    @Test
    void refuses_a_human_deleting_a_missing_alias_with_404() {
        assertError(f.c.delete(dir("#gone:test")).token(alice).send(), 404, "M_NOT_FOUND", "Unknown room alias");
    }

    @Test
    void a_human_delete_removes_the_alias_from_the_canonical_alias_event() {
        String withAlias = f.createRoom(alice, Map.of("room_alias_name", "trip"));
        assertThat(f.c.delete(dir("#trip:test")).token(alice).send().status()).isEqualTo(200);
        Reply canonical = f.c.get(rooms(withAlias) + "/state/m.room.canonical_alias/").token(alice).send();
        assertThat(canonical.json().has("alias")).isFalse();
    }

    @Test
    void refuses_deleting_someone_elses_alias_without_power() {
        put(alice, "#trip:test", room);
        String bob = f.register("bob");
        f.join(bob, room);
        Reply r = f.c.delete(dir("#trip:test")).token(bob).send();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void answers_a_missing_alias_with_404_after_asking_the_appservices() {
        List<String> asked = new CopyOnWriteArrayList<>();
        TestAccess.appserviceCalls(f.hs, alias -> {
            asked.add(alias);
            return CompletableFuture.completedFuture(null);
        });
        assertError(f.c.get(dir("#weather_unknown:test")).send(), 404, "M_NOT_FOUND",
                "Room alias #weather_unknown:test not found");
        assertThat(asked).containsExactly("#weather_unknown:test");
    }

    @Test
    void reads_the_directory_again_once_the_appservice_query_completes_without_blocking_the_server()
            throws Exception {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        CountDownLatch asked = new CountDownLatch(1);
        TestAccess.appserviceCalls(f.hs, alias -> {
            asked.countDown();
            return answer;
        });
        CompletableFuture<Reply> lookup = CompletableFuture.supplyAsync(
                () -> f.c.get(dir("#weather_lazy:test")).send());
        assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();
        // While the query is open the server keeps answering: the appservice creates the alias meanwhile.
        assertThat(put(f.as, "#weather_lazy:test", room).status()).isEqualTo(200);
        assertThat(lookup).isNotDone();
        answer.complete(null);
        Reply r = lookup.get(5, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.str("room_id")).isEqualTo(room);
    }

    @Test
    void join_by_a_missing_alias_asks_the_appservices_first() throws Exception {
        String bob = f.register("bob");
        // The appservice creates the room alias over HTTP while answering the query, as bridges do.
        TestAccess.appserviceCalls(f.hs, alias -> CompletableFuture.runAsync(() -> put(f.as, alias, room)));
        Reply r = CompletableFuture.supplyAsync(() -> f.c.post(V3 + "/join/" + enc("#weather_new:test"))
                .token(bob).json(Map.of()).send()).get(5, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.str("room_id")).isEqualTo(room);
    }
}
