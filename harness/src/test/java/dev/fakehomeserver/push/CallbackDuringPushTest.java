package dev.fakehomeserver.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.ScriptedAppservice.Answer;
import dev.fakehomeserver.testing.TestClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** house.md §2: the client API keeps serving while a push or query to the appservice is open. */
class CallbackDuringPushTest {

    @Test
    void the_appservice_can_call_the_client_api_before_answering_its_transaction() {
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            f.awaitIdle();
            List<Integer> callbacks = new CopyOnWriteArrayList<>();
            TestClient c = new TestClient(f.hs.url());
            f.as.on("/transactions/", req -> {
                if (req.body().contains("!weather")) {
                    // Like a bot: answer the command in the room before acknowledging the transaction.
                    callbacks.add(c.put("/_matrix/client/v3/rooms/" + TestClient.enc(room)
                            + "/send/m.room.message/reply1").token(f.reg.asToken()).asUser(bob)
                            .json(Map.of("msgtype", "m.text", "body", "Sunny in Paris")).send().status());
                }
                return Answer.ok();
            });
            String command = f.send(bob, room, "!weather Paris");
            f.awaitIdle();
            assertThat(callbacks).containsExactly(200);
            List<String> ids = f.receivedEventIds();
            assertThat(ids).contains(command);
            assertThat(ids.indexOf(command)).isLessThan(ids.size() - 1);  // the reply was pushed after it
        }
    }

    @Test
    void the_appservice_can_call_the_client_api_while_its_user_query_is_open() {
        try (PushFixture f = new PushFixture()) {
            List<Integer> callbacks = new CopyOnWriteArrayList<>();
            TestClient c = new TestClient(f.hs.url());
            f.as.on("/users/", req -> {
                // As the spec asks: create the user through the client API before answering 200.
                callbacks.add(c.post("/_matrix/client/v3/register").token(f.reg.asToken())
                        .json(Map.of("type", "m.login.application_service", "username", "weather_ghost"))
                        .send().status());
                return Answer.ok();
            });
            String alice = f.user("alice");
            f.invite(alice, "@weather_ghost:test", f.room(alice));
            f.awaitIdle();
            assertThat(callbacks).containsExactly(200);
        }
    }
}
