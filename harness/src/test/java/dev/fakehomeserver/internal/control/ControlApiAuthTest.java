package dev.fakehomeserver.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.testing.TestClient;
import org.junit.jupiter.api.Test;

class ControlApiAuthTest {

    @Test
    void is_off_in_process_unless_the_builder_turns_it_on() {
        try (Homeserver hs = Homeserver.builder().start()) {
            TestClient.Reply r = new TestClient(hs.url()).get("/_fakehs/v1/rooms").token("anything").send();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.errcode()).isEqualTo("M_UNRECOGNIZED");
        }
    }

    @Test
    void refuses_a_request_without_the_control_token_with_401_M_MISSING_TOKEN() {
        try (Homeserver hs = Homeserver.builder().controlApi("s3cret").start()) {
            TestClient.Reply r = new TestClient(hs.url()).get("/_fakehs/v1/rooms").send();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.errcode()).isEqualTo("M_MISSING_TOKEN");
        }
    }

    @Test
    void refuses_a_wrong_control_token_with_401_M_UNKNOWN_TOKEN() {
        try (Homeserver hs = Homeserver.builder().controlApi("s3cret").start()) {
            TestClient.Reply r = new TestClient(hs.url()).get("/_fakehs/v1/rooms").token("guess").send();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
        }
    }

    @Test
    void answers_with_the_control_token() {
        try (Homeserver hs = Homeserver.builder().controlApi("s3cret").start()) {
            TestClient.Reply r = new TestClient(hs.url()).get("/_fakehs/v1/rooms").token("s3cret").send();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("rooms").isArray()).isTrue();
        }
    }

    @Test
    void needs_no_token_when_built_with_a_null_token() {
        try (Homeserver hs = Homeserver.builder().controlApi(null).start()) {
            assertThat(new TestClient(hs.url()).get("/_fakehs/v1/users").send().status()).isEqualTo(200);
        }
    }

    @Test
    void answers_health_and_ready_without_a_token_for_probes() {
        try (Homeserver hs = Homeserver.builder().controlApi("s3cret").start()) {
            TestClient c = new TestClient(hs.url());
            assertThat(c.get("/_fakehs/v1/health").send().str("status")).isEqualTo("ok");
            assertThat(c.get("/_fakehs/v1/ready").send().json().get("ready").asBoolean()).isTrue();
        }
    }

    @Test
    void answers_an_unknown_control_path_with_404_M_UNRECOGNIZED_and_a_wrong_method_with_405() {
        try (Homeserver hs = Homeserver.builder().controlApi("s3cret").start()) {
            TestClient c = new TestClient(hs.url());
            assertThat(c.get("/_fakehs/v1/nothing").token("s3cret").send().errcode()).isEqualTo("M_UNRECOGNIZED");
            assertThat(c.delete("/_fakehs/v1/rooms").token("s3cret").send().status()).isEqualTo(405);
        }
    }

    @Test
    void leaves_the_client_api_beside_it_untouched() {
        try (Homeserver hs = Homeserver.builder().controlApi("s3cret").start()) {
            assertThat(new TestClient(hs.url()).get("/_matrix/client/versions").send().status()).isEqualTo(200);
        }
    }
}
