package dev.fakehomeserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.TestRegistrations;
import dev.fakehomeserver.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void appservice_registers_a_ghost_that_creates_a_room_and_sends_a_message() {
        Registration reg = TestRegistrations.weather();
        try (Homeserver hs = Homeserver.builder().registration(reg).start()) {
            TestClient c = new TestClient(hs.url());
            assertThat(c.get("/_matrix/client/versions").send().status()).isEqualTo(200);
            var reply = c.post("/_matrix/client/v3/register").token(reg.asToken())
                    .json(Map.of("type", "m.login.application_service", "username", "weather_bob")).send();
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            var room = c.post("/_matrix/client/v3/createRoom").token(reg.asToken()).asUser("@weather_bob:test")
                    .json(Map.of("room_alias_name", "weather_paris", "preset", "public_chat")).send();
            assertThat(room.status()).as(room.toString()).isEqualTo(200);
            String roomId = room.str("room_id");
            var sent = c.put("/_matrix/client/v3/rooms/" + TestClient.enc(roomId) + "/send/m.room.message/t1")
                    .token(reg.asToken()).asUser("@weather_bob:test")
                    .json(Map.of("msgtype", "m.text", "body", "hi")).send();
            assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
            assertThat(hs.journal().requests()).hasSize(4);
        }
    }
}
