package dev.fakehomeserver.clientapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.TestRegistrations;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.journal.RecordedRequest;
import dev.fakehomeserver.testing.TestClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request journal keeps what came in, but never a password or an access token. */
class RequestJournalRedactionTest {
    private static final Registration REG = TestRegistrations.weather();

    private static RecordedRequest last(Homeserver hs) {
        List<RecordedRequest> all = hs.journal().requests();
        return all.get(all.size() - 1);
    }

    @Test
    void redacts_an_access_token_given_in_the_query() {
        try (Homeserver hs = Homeserver.builder().registration(REG).start()) {
            new TestClient(hs.url()).get("/_matrix/client/v3/account/whoami")
                    .query("user_id", "@weatherbot:test").query("access_token", REG.asToken()).send();
            assertThat(last(hs).query()).isEqualTo("user_id=%40weatherbot%3Atest&access_token=<redacted>");
        }
    }

    @Test
    void keeps_a_query_without_a_token_as_it_came() {
        try (Homeserver hs = Homeserver.builder().registration(REG).start()) {
            new TestClient(hs.url()).get("/_matrix/client/v3/account/whoami").token(REG.asToken())
                    .query("user_id", "@weatherbot:test").send();
            assertThat(last(hs).query()).isEqualTo("user_id=%40weatherbot%3Atest");
        }
    }

    @Test
    void redacts_a_password_in_the_body() {
        try (Homeserver hs = Homeserver.builder().registration(REG).start()) {
            new TestClient(hs.url()).post("/_matrix/client/v3/login")
                    .json("{\"type\":\"m.login.password\",\"user\":\"alice\",\"password\":\"hunter2\"}").send();
            assertThat(last(hs).requestBody()).contains("\"password\":\"<redacted>\"").doesNotContain("hunter2");
        }
    }

    @Test
    void redacts_a_password_whose_key_is_spelled_with_an_escape() {
        try (Homeserver hs = Homeserver.builder().registration(REG).start()) {
            new TestClient(hs.url()).post("/_matrix/client/v3/login")
                    .json("{\"type\":\"m.login.password\",\"user\":\"alice\",\"pass\\u0077ord\":\"hunter2\"}").send();
            assertThat(last(hs).requestBody()).doesNotContain("hunter2");
        }
    }

    @Test
    void keeps_a_body_without_secrets_byte_for_byte() {
        try (Homeserver hs = Homeserver.builder().registration(REG).start()) {
            String body = "{ \"msgtype\": \"m.text\",  \"body\": \"hi\" }";
            new TestClient(hs.url()).put("/_matrix/client/v3/rooms/!nowhere:test/send/m.room.message/t1")
                    .token(REG.asToken()).json(body).send();
            assertThat(last(hs).requestBody()).isEqualTo(body);
        }
    }
}
