package dev.fakehomeserver.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fakehomeserver.testing.PinnedHttps;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * {@code --tls} and {@code --public-url} of the standalone server, in process: an HTTPS client that trusts
 * nothing but the fingerprint the banner printed, and requests that come as a proxy forwards them.
 */
class TlsAndPublicUrlTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @AutoClose
    private final CliRun cli = new CliRun();

    private static HttpClient pinned(String pin) {
        return PinnedHttps.client(pin);
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode register(HttpClient http, String base, String user) throws Exception {
        String body = "{\"username\":\"" + user + "\",\"password\":\"pw-" + user + "-12345\","
                + "\"auth\":{\"type\":\"m.login.dummy\"}}";
        http.send(HttpRequest.newBuilder(URI.create(base + "/_matrix/client/v3/register"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        String login = "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"" + user
                + "\"},\"password\":\"pw-" + user + "-12345\"}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/_matrix/client/v3/login"))
                .POST(HttpRequest.BodyPublishers.ofString(login)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void tls_serves_the_same_api_over_https_with_the_certificate_whose_fingerprint_the_banner_prints()
            throws Exception {
        assertThat(cli.run(Map.of(), "--port", "0", "--tls", "--tls-port", "0", "--no-control-token"))
                .as(cli.err()).isZero();
        String[] tls = PinnedHttps.fromBanner(cli.out());
        assertThat(tls).as("the banner names the https url and the fingerprint:%n%s", cli.out()).isNotNull();
        String https = tls[0];
        HttpClient http = pinned(tls[1]);
        // The fingerprint printed is the certificate's own (SelfSignedCertificate computes it; so does the pin).
        assertThat(tls[1]).hasSize(95);
        assertThat(https).isEqualTo(cli.started().httpsUrl().orElseThrow()).startsWith("https://127.0.0.1:");

        HttpResponse<String> versions = get(http, https + "/_matrix/client/versions");
        assertThat(versions.statusCode()).isEqualTo(200);
        assertThat(versions.body()).contains("\"versions\"");
        // The same server behind both listeners: a user registered over HTTPS logs in over plain HTTP.
        JsonNode login = register(http, https, "tlsuser");
        assertThat(login.at("/well_known/m.homeserver/base_url").asText()).isEqualTo(https + "/");
        JsonNode plain = register(HttpClient.newHttpClient(), cli.started().url(), "tlsuser");
        assertThat(plain.path("user_id").asText()).isEqualTo("@tlsuser:test");
        assertThat(plain.at("/well_known/m.homeserver/base_url").asText()).isEqualTo(cli.started().url() + "/");
    }

    @Test
    void tls_certificate_is_refused_by_a_client_that_pins_another_one_or_trusts_only_public_authorities()
            throws Exception {
        assertThat(cli.run(Map.of(), "--port", "0", "--tls", "--tls-port", "0")).as(cli.err()).isZero();
        String https = cli.started().httpsUrl().orElseThrow();
        String other = "00" + ":00".repeat(31);
        assertThatThrownBy(() -> get(pinned(other), https + "/_matrix/client/versions"))
                .isInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> get(HttpClient.newHttpClient(), https + "/_matrix/client/versions"))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void without_tls_there_is_no_https_listener_and_no_tls_line() {
        assertThat(cli.run(Map.of(), "--port", "0")).as(cli.err()).isZero();
        assertThat(cli.started().httpsUrl()).isEmpty();
        assertThat(cli.out()).doesNotContain("TLS:");
    }

    /** A request as a reverse proxy forwards it: the client's Host header, not the fake's address. */
    private static JsonNode viaProxy(String fakeUrl, String method, String path, String body) throws IOException {
        URI u = URI.create(fakeUrl);
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(10_000);
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: matrix.example.test\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(b);
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
    }

    private static final String LOGIN = "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\","
            + "\"user\":\"proxied\"},\"password\":\"pw-proxied-12345\"}";

    @Test
    void public_url_is_what_login_and_the_client_well_known_name_behind_a_proxy() throws Exception {
        assertThat(cli.run(Map.of(), "--port", "0", "--public-url", "https://matrix.example.test:8443"))
                .as(cli.err()).isZero();
        assertThat(cli.out()).contains("public url https://matrix.example.test:8443: /login's well_known");
        register(HttpClient.newHttpClient(), cli.started().url(), "proxied");
        JsonNode login = viaProxy(cli.started().url(), "POST", "/_matrix/client/v3/login", LOGIN);
        assertThat(login.at("/well_known/m.homeserver/base_url").asText()).isEqualTo("https://matrix.example.test:8443/");
        JsonNode wellKnown = viaProxy(cli.started().url(), "GET", "/.well-known/matrix/client", null);
        assertThat(wellKnown.toString()).isEqualTo("{\"m.homeserver\":{\"base_url\":\"https://matrix.example.test:8443/\"}}");
    }

    @Test
    void without_public_url_login_and_the_client_well_known_name_the_host_the_request_came_to() throws Exception {
        assertThat(cli.run(Map.of(), "--port", "0")).as(cli.err()).isZero();
        register(HttpClient.newHttpClient(), cli.started().url(), "proxied");
        JsonNode login = viaProxy(cli.started().url(), "POST", "/_matrix/client/v3/login", LOGIN);
        assertThat(login.at("/well_known/m.homeserver/base_url").asText()).isEqualTo("http://matrix.example.test/");
        JsonNode wellKnown = viaProxy(cli.started().url(), "GET", "/.well-known/matrix/client", null);
        assertThat(wellKnown.at("/m.homeserver/base_url").asText()).isEqualTo("http://matrix.example.test/");
    }

    @Test
    void public_url_that_synapse_would_refuse_is_a_bad_flag_with_synapses_reason() {
        assertThat(cli.run(Map.of(), "--port", "0", "--public-url", "ftp://matrix.example.test")).isEqualTo(2);
        assertThat(cli.err()).contains("--public-url").contains("Invalid scheme 'ftp': only https and http are supported");
        assertThat(cli.started()).isNull();
        try (CliRun again = new CliRun()) {
            assertThat(again.run(Map.of(), "--port", "0", "--public-url", "https://m.example.test/?x=1")).isEqualTo(2);
            assertThat(again.err()).contains("cannot contain query parameters or a #-fragment");
        }
    }
}
