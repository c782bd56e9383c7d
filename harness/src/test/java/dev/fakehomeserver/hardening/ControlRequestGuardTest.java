package dev.fakehomeserver.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control API's guard (issue 17, item 14) over hand-written requests on real sockets, against a server
 * started as with {@code --no-control-token}, the case where a web page could otherwise drive it: a body must be
 * labelled JSON (or YAML), a page of another site is refused by its {@code Origin}, a name that is not this
 * machine's in {@code Host} (DNS rebinding) is refused, and two {@code Authorization} headers are refused as the
 * client API refuses them.
 */
class ControlRequestGuardTest {
    private Homeserver hs;

    @BeforeEach
    void start() {
        hs = Homeserver.builder().controlApi(null).start();
    }

    @AfterEach
    void stop() {
        hs.close();
    }

    /** An HTTP/1.1 request with {@code headers} (CRLF-separated lines) and {@code body}; the status line and body. */
    private String request(String method, String path, String headers, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = method + " /_fakehs/v1" + path + " HTTP/1.1\r\n" + headers
                + (headers.isEmpty() || headers.endsWith("\r\n") ? "" : "\r\n")
                + (b.length > 0 || !method.equals("GET") ? "Content-Length: " + b.length + "\r\n" : "")
                + "Connection: close\r\n\r\n";
        byte[] req = new byte[head.length() + b.length];
        System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, req, 0, head.length());
        System.arraycopy(b, 0, req, head.length(), b.length);
        return Wire.raw(hs.port(), req);
    }

    private String host() {
        return "Host: 127.0.0.1:" + hs.port() + "\r\n";
    }

    private static final String USER = "{\"localpart\":\"mallory\"}";

    @Test
    void a_body_not_labelled_json_is_415_M_NOT_JSON_and_changes_nothing() throws IOException {
        // Before: 200, a user made by what any page can send to another origin without asking first.
        for (String type : new String[] {"Content-Type: text/plain\r\n",
                "Content-Type: application/x-www-form-urlencoded\r\n", "Content-Type: multipart/form-data; b=x\r\n",
                ""}) {
            String r = request("POST", "/users", host() + type, USER);
            assertThat(r).as(type).startsWith("HTTP/1.1 415").contains("\"errcode\":\"M_NOT_JSON\"")
                    .contains("Content-Type: application/json");
        }
        assertThat(hs.users()).noneMatch(u -> u.userId().startsWith("@mallory:"));
        assertThat(request("POST", "/users", host() + "Content-Type: application/json; charset=utf-8\r\n", USER))
                .startsWith("HTTP/1.1 200");
        // A request without a body needs no label (curl -X POST .../reset).
        assertThat(request("POST", "/reset", host(), "")).startsWith("HTTP/1.1 200");
    }

    @Test
    void a_foreign_origin_is_403_for_reads_and_changes() throws IOException {
        String json = "Content-Type: application/json\r\n";
        for (String origin : new String[] {"http://evil.example", "null", "http://localhost:3000"}) {
            String post = request("POST", "/users", host() + json + "Origin: " + origin + "\r\n", USER);
            assertThat(post).as(origin).startsWith("HTTP/1.1 403").contains("M_FORBIDDEN").contains("another site");
            assertThat(request("GET", "/rooms", host() + "Origin: " + origin + "\r\n", ""))
                    .as(origin).startsWith("HTTP/1.1 403");
        }
        assertThat(request("POST", "/users", host() + json + "Sec-Fetch-Site: cross-site\r\n", USER))
                .startsWith("HTTP/1.1 403");
        assertThat(hs.users()).noneMatch(u -> u.userId().startsWith("@mallory:"));
        // The console's own page sends its origin.
        assertThat(request("POST", "/users", host() + json + "Origin: http://127.0.0.1:" + hs.port() + "\r\n", USER))
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void a_host_that_is_not_this_machine_is_403_against_dns_rebinding() throws IOException {
        // Before: answered, so a page whose name was rebound to 127.0.0.1 read the journal as its own origin.
        for (String host : new String[] {"evil.example:" + hs.port(), "127.0.0.1.evil.example", "localhost.evil"}) {
            String r = request("GET", "/journal", "Host: " + host + "\r\n", "");
            assertThat(r).as(host).startsWith("HTTP/1.1 403").contains("M_FORBIDDEN").contains("DNS rebinding");
        }
        for (String host : new String[] {"127.0.0.1:" + hs.port(), "localhost:" + hs.port(), "LOCALHOST",
                "[::1]:" + hs.port(), "127.0.0.2"}) {
            assertThat(request("GET", "/journal", "Host: " + host + "\r\n", "")).as(host).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void two_authorization_headers_are_401_as_on_the_client_api() throws IOException {
        String twice = host() + "Authorization: Bearer a\r\nAuthorization: Bearer b\r\n";
        String control = request("GET", "/rooms", twice, "");
        assertThat(control).startsWith("HTTP/1.1 401").contains("\"errcode\":\"M_MISSING_TOKEN\"")
                .contains("Too many Authorization headers.");
        String client = Wire.raw(hs.port(), ("GET /_matrix/client/v3/account/whoami HTTP/1.1\r\n" + twice
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(client).startsWith("HTTP/1.1 401").contains("Too many Authorization headers.");
    }

    @Test
    void a_control_body_that_is_not_strict_utf8_is_400_M_NOT_JSON_as_on_the_client_api() throws IOException {
        // Item 13 on the control API: the same parser, so an overlong "/" or a UTF-16 body is refused here too.
        String json = "Content-Type: application/json\r\n";
        byte[] overlong = {'{', '"', 'l', 'o', 'c', 'a', 'l', 'p', 'a', 'r', 't', '"', ':', '"', 'm', (byte) 0xC0,
                (byte) 0xAF, '"', '}'};
        String head = "POST /_fakehs/v1/users HTTP/1.1\r\n" + host() + json + "Content-Length: " + overlong.length
                + "\r\nConnection: close\r\n\r\n";
        byte[] req = new byte[head.length() + overlong.length];
        System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, req, 0, head.length());
        System.arraycopy(overlong, 0, req, head.length(), overlong.length);
        assertThat(Wire.raw(hs.port(), req)).startsWith("HTTP/1.1 400").contains("\"errcode\":\"M_NOT_JSON\"");
        Wire.Reply utf16 = Wire.send("POST", hs.url() + "/_fakehs/v1/users", null, "application/json",
                USER.getBytes(StandardCharsets.UTF_16LE));
        assertThat(utf16.status()).as(utf16.toString()).isEqualTo(400);
        assertThat(utf16.errcode()).isEqualTo("M_NOT_JSON");
        assertThat(hs.users()).isEmpty();
    }
}
