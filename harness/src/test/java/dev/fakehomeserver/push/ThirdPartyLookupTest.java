package dev.fakehomeserver.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.ScriptedAppservice.Answer;
import dev.fakehomeserver.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** spec-digest §2.7: third-party lookups forwarded to the appservices serving the protocol. */
class ThirdPartyLookupTest {
    private static final String IRC = "{\"user_fields\":[\"nick\"],\"location_fields\":[\"channel\"],\"icon\":\"\","
            + "\"field_types\":{},\"instances\":[{\"desc\":\"Libera\",\"fields\":{},\"network_id\":\"libera\"}]}";

    private static String token(TestClient c) {
        return c.post("/_matrix/client/v3/register").json(Map.of("username", "alice", "password", "pw",
                "auth", Map.of("type", "m.login.dummy"))).send().str("access_token");
    }

    @Test
    void protocols_come_from_the_appservices_with_an_instance_id_added() {
        try (PushFixture f = new PushFixture(r -> r.protocol("irc"), b -> b)) {
            f.as.on("/thirdparty/protocol/", r -> Answer.json(200, IRC));
            TestClient c = new TestClient(f.hs.url());
            String t = token(c);
            var all = c.get("/_matrix/client/v3/thirdparty/protocols").token(t).send();
            assertThat(all.status()).isEqualTo(200);
            assertThat(all.json().path("irc").path("instances").get(0).path("instance_id").asText())
                    .isEqualTo("weather|libera");
            var one = c.get("/_matrix/client/v3/thirdparty/protocol/irc").token(t).send();
            assertThat(one.status()).isEqualTo(200);
            assertThat(one.json().path("user_fields").get(0).asText()).isEqualTo("nick");
            assertThat(f.as.requests()).extracting(r -> r.path())
                    .containsOnly("/_matrix/app/v1/thirdparty/protocol/irc");
        }
    }

    @Test
    void an_unknown_protocol_is_404_with_an_error_but_no_errcode() {
        try (PushFixture f = new PushFixture(r -> r.protocol("irc"), b -> b)) {
            TestClient c = new TestClient(f.hs.url());
            var reply = c.get("/_matrix/client/v3/thirdparty/protocol/xmpp").token(token(c)).send();
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.json().toString()).isEqualTo("{\"error\":\"Unknown protocol\"}");
            assertThat(f.as.requests()).isEmpty();
        }
    }

    @Test
    void user_lookups_forward_the_query_and_keep_only_valid_results() {
        try (PushFixture f = new PushFixture(r -> r.protocol("irc"), b -> b)) {
            f.as.on("/thirdparty/user/", r -> Answer.json(200, "[{\"userid\":\"@irc_bob:test\",\"protocol\":\"irc\","
                    + "\"fields\":{\"nick\":\"bob\"}},{\"userid\":5,\"protocol\":\"irc\",\"fields\":{}}]"));
            TestClient c = new TestClient(f.hs.url());
            var reply = c.get("/_matrix/client/v3/thirdparty/user/irc").token(token(c)).query("nick", "bob").send();
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json()).hasSize(1);
            assertThat(reply.json().get(0).path("userid").asText()).isEqualTo("@irc_bob:test");
            assertThat(f.as.requests()).singleElement().satisfies(r -> {
                assertThat(r.path()).isEqualTo("/_matrix/app/v1/thirdparty/user/irc");
                assertThat(r.query()).startsWith("nick=bob");
            });
        }
    }

    @Test
    void a_failing_appservice_or_an_unserved_protocol_gives_200_and_an_empty_list() {
        try (PushFixture f = new PushFixture(r -> r.protocol("irc"), b -> b)) {
            f.as.on("/thirdparty/location/", r -> Answer.json(500, "{}"));
            TestClient c = new TestClient(f.hs.url());
            String t = token(c);
            for (String path : new String[] {"/thirdparty/location/irc", "/thirdparty/location/xmpp",
                    "/thirdparty/user", "/thirdparty/location"}) {
                var reply = c.get("/_matrix/client/v3" + path).token(t).send();
                assertThat(reply.status()).as(path).isEqualTo(200);
                assertThat(reply.text()).as(path).isEqualTo("[]");
            }
            assertThat(f.as.requests()).singleElement()
                    .satisfies(r -> assertThat(r.path()).isEqualTo("/_matrix/app/v1/thirdparty/location/irc"));
        }
    }
}
