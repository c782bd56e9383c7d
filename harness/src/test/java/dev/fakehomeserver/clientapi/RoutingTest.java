package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.V3;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient.Reply;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /versions, unknown endpoints and methods, bodies that are not JSON objects. */
class RoutingTest {
    @AutoClose
    private final Fixture f = Fixture.start();

    @BeforeEach
    void start() {
    }

    @Test
    void versions_lists_spec_versions_and_advertises_appservice_ping_without_auth() {
        Reply r = f.c.get("/_matrix/client/versions").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("versions").toString()).contains("\"r0.6.1\"", "\"v1.6\"");
        assertThat(r.json().at("/unstable_features/fi.mau.msc2659.stable").asBoolean()).isTrue();
    }

    @Test
    void answers_an_unknown_endpoint_with_404_M_UNRECOGNIZED_before_auth() {
        Reply r = f.c.get(V3 + "/no_such_thing").send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_UNRECOGNIZED");
        assertThat(f.c.get("/_matrix/client/v9/account/whoami").token(f.as).send().status()).isEqualTo(404);
    }

    @Test
    void answers_a_wrong_method_with_405_M_UNRECOGNIZED() {
        Reply r = f.c.delete(V3 + "/account/whoami").token(f.as).send();
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.errcode()).isEqualTo("M_UNRECOGNIZED");
    }

    @Test
    void refuses_a_body_that_is_not_json_with_M_NOT_JSON() {
        Reply r = f.c.post(V3 + "/createRoom").token(f.as).json("{not json").send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_NOT_JSON");
    }

    @Test
    void refuses_json_that_is_not_an_object_with_M_BAD_JSON() {
        Reply r = f.c.post(V3 + "/createRoom").token(f.as).json("[1,2]").send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_BAD_JSON");
    }

    @Test
    void serves_the_same_routes_under_r0() {
        assertThat(f.c.get("/_matrix/client/r0/account/whoami").token(f.as).send().status()).isEqualTo(200);
        assertThat(f.c.post("/_matrix/client/r0/createRoom").token(f.as).json("{}").send().status()).isEqualTo(200);
    }
}
