package dev.fakehomeserver.clientapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.ClientApiRoutes;
import dev.fakehomeserver.internal.http.Route;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Options;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route of the client-server route table that needs a token answers 401 {@code M_MISSING_TOKEN} without
 * one and 401 {@code M_UNKNOWN_TOKEN} ({@code soft_logout: false}) for an unknown one. The table is read, not
 * copied, so routes added later are covered too.
 */
class AuthMatrixTest {
    private static final Map<String, String> SAMPLES = Map.of(
            "roomId", "!room:test", "roomIdOrAlias", "!room:test", "roomAlias", "#alias:test",
            "userId", "@alice:test", "eventType", "m.room.message", "stateKey", "", "txnId", "t1",
            "networkId", "net1");
    private static Fixture f;

    @BeforeAll
    static void start() {
        f = Fixture.start();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static List<Route> routes(AuthMode mode) {
        Services services = Services.create(new HomeserverModel("test", System::currentTimeMillis),
                Options.defaults());
        return ClientApiRoutes.build(services).routes().stream().filter(r -> r.auth() == mode).toList();
    }

    static Stream<Route> required() {
        return routes(AuthMode.REQUIRED).stream();
    }

    static Stream<Route> tokenAware() {
        return Stream.concat(routes(AuthMode.REQUIRED).stream(), routes(AuthMode.OPTIONAL).stream());
    }

    /** The template with sample values for its parameters, each percent-encoded. */
    static String samplePath(Route route) {
        StringBuilder sb = new StringBuilder();
        for (String seg : route.segments()) {
            sb.append('/');
            if (seg.startsWith("{") && seg.endsWith("}")) {
                sb.append(TestClient.enc(SAMPLES.getOrDefault(seg.substring(1, seg.length() - 1), "x")));
            } else {
                sb.append(seg);
            }
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("required")
    void refuses_a_request_without_a_token_with_M_MISSING_TOKEN(Route route) {
        Reply r = f.c.method(route.method(), samplePath(route)).json("{}").send();
        assertThat(r.status()).as(route + " -> " + r).isEqualTo(401);
        assertThat(r.errcode()).isEqualTo("M_MISSING_TOKEN");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenAware")
    void refuses_an_unknown_token_with_M_UNKNOWN_TOKEN_and_soft_logout_false(Route route) {
        Reply r = f.c.method(route.method(), samplePath(route)).token("not-a-real-token").json("{}").send();
        assertThat(r.status()).as(route + " -> " + r).isEqualTo(401);
        assertThat(r.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
        assertThat(r.json().get("soft_logout").asBoolean(true)).isFalse();
    }
}
