package dev.fakehomeserver.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.testing.TestRegistrations;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.RegistrationException;
import dev.fakehomeserver.journal.RecordedRequest;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.testing.ScriptedAppservice;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens and passwords never show in clear where a test prints or dumps what happened: the request journal
 * (every field of {@link RecordedRequest}), the transaction journal, {@code java.util.logging} output and the
 * {@code toString()} of public values. Traffic sends every secret every way it can travel: header, query
 * string, request bodies, and the login and register answers that hand out tokens.
 */
class SecretsStayHiddenTest {
    private static final String PASSWORD = "correct horse battery staple";
    private final List<String> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public synchronized void publish(LogRecord r) {
            // The JDK's HTTP client logs whole URLs at FINE: the test's own client sends tokens in them. That
            // logger is the JDK's debug switch, off unless asked for, and not the fake's output.
            if (r.getLoggerName() != null && r.getLoggerName().startsWith("jdk.internal.httpclient")) {
                return;
            }
            logged.add(r.getLevel() + " " + r.getLoggerName() + " " + r.getMessage() + " "
                    + (r.getThrown() == null ? "" : r.getThrown().toString()));
        }

        @Override
        public void flush() { }

        @Override
        public void close() { }
    };
    private final Logger root = Logger.getLogger("");
    private Level rootLevel;

    @BeforeEach
    void captureLogs() {
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
    }

    @AfterEach
    void releaseLogs() {
        root.removeHandler(capture);
        root.setLevel(rootLevel);
    }

    @Test
    void no_token_or_password_appears_in_journals_logs_or_toString() {
        try (ScriptedAppservice as = ScriptedAppservice.start()) {
            Registration reg = TestRegistrations.weather(as.url());
            try (Homeserver hs = Homeserver.builder().registration(reg).start()) {
                TestClient c = new TestClient(hs.url());
                String v3 = "/_matrix/client/v3";
                Reply registered = c.post(v3 + "/register").json(Map.of("username", "alice", "password", PASSWORD,
                        "auth", Map.of("type", "m.login.dummy"))).send();
                String first = registered.str("access_token");
                Reply login = c.post(v3 + "/login").json(Map.of("type", "m.login.password",
                        "identifier", Map.of("type", "m.id.user", "user", "alice"), "password", PASSWORD)).send();
                String second = login.str("access_token");
                assertThat(first).isNotBlank();
                assertThat(second).isNotBlank();
                c.get(v3 + "/account/whoami").token(first).send();
                c.get(v3 + "/account/whoami").query("access_token", second).send();
                c.get(v3 + "/account/whoami").token(second).query("access_token", second).send();
                c.post(v3 + "/register").token(reg.asToken())
                        .json(Map.of("type", "m.login.application_service", "username", "weather_bob")).send();
                c.get(v3 + "/account/whoami").query("access_token", reg.asToken()).query("user_id", "@weather_bob:test")
                        .send();
                String room = c.post(v3 + "/createRoom").token(reg.asToken()).asUser("@weather_bob:test")
                        .json(Map.of()).send().str("room_id");
                c.post(v3 + "/logout").token(first).json(Map.of("access_token", first)).send();
                Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> !hs.transactions().records().isEmpty() && !hs.appserviceStatus("weather").inFlight());

                List<String> secrets = List.of(PASSWORD, first, second, reg.asToken(), reg.hsToken());
                List<String> places = new ArrayList<>();
                for (RecordedRequest r : hs.journal().requests()) {
                    places.add(r.toString());
                    places.addAll(List.of(r.path(), r.query(), r.requestBody(), r.responseBody(), str(r.error())));
                }
                for (RecordedTransaction t : hs.transactions().records()) {
                    places.add(t.toString());
                    places.addAll(List.of(t.path(), t.query(), t.requestBody(), t.responseBody(), str(t.error())));
                }
                places.add(reg.toString());
                places.add(hs.toString());
                places.add(hs.registrations().toString());
                places.add(hs.journal().toString());
                places.add(hs.room(room).toString());
                places.add(hs.users().toString());
                synchronized (capture) {
                    places.addAll(logged);
                }
                assertThat(places).as("journal entries, log lines and toString()s").isNotEmpty();
                for (String secret : secrets) {
                    assertThat(places.stream().filter(p -> p.contains(secret)).toList())
                            .as("places showing secret #" + secrets.indexOf(secret)).isEmpty();
                }
                // The journal still says what happened, with the secrets masked.
                assertThat(hs.journal().requests()).anyMatch(r -> r.query().contains("access_token=<redacted>"));
                assertThat(hs.transactions().records()).anyMatch(t -> t.query().contains("access_token=<redacted>"));
                // The appservice itself did get the hs_token: redaction is for records, not the wire.
                assertThat(as.transactions()).allMatch(t -> ("Bearer " + reg.hsToken()).equals(t.header("Authorization")));
            }
        }
    }

    @Test
    void a_refused_registration_file_does_not_quote_its_tokens() {
        String token = "tok_0123456789abcdef_secret";
        List<String> files = List.of(
                "id: w\nurl: null\nas_token: \"" + token + "\nhs_token: x\nsender_localpart: b\n",
                "id: w\nurl: null\nas_token: [" + token + "]\nhs_token: x\nsender_localpart: b\n",
                "id: w\nurl: null\nas_token: " + token + "\nhs_token: " + token + ": {\nsender_localpart: b\n",
                "id: w\nurl: null\nas_token: !%0 " + token + "\nhs_token: x\nsender_localpart: b\n");
        for (String yaml : files) {
            assertThatThrownBy(() -> Registration.fromYaml(yaml))
                    .isInstanceOf(RegistrationException.class)
                    .satisfies(e -> assertThat(e.toString() + " " + e.getCause()).doesNotContain(token));
        }
    }

    private static String str(String s) {
        return s == null ? "" : s;
    }
}
