package dev.fakehomeserver.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.events.Actor;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bodies Synapse refuses before it looks at them (issue 17, items 1 and 13): nested deeper than its parser
 * recurses, or not strict UTF-8. Each is 400 {@code M_NOT_JSON} "Content not JSON.", as Synapse 1.94 answers
 * (checked against the real one); what is accepted can always be read back.
 */
class HostileJsonTest {
    private static Homeserver hs;
    private static Actor alice;
    private static String room;
    private static int txn;

    @BeforeAll
    static void start() {
        hs = Homeserver.builder().start();
        alice = hs.user("@alice:test");
        room = alice.createRoom();
    }

    @AfterAll
    static void stop() {
        hs.close();
    }

    private static String roomPath() {
        return hs.url() + "/_matrix/client/v3/rooms/" + URLEncoder.encode(room, StandardCharsets.UTF_8);
    }

    private static Wire.Reply send(byte[] body) {
        return Wire.send("PUT", roomPath() + "/send/m.room.message/h" + (++txn), alice.accessToken(),
                "application/json", body);
    }

    private static void assertNotJson(Wire.Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.errcode()).as(r.toString()).isEqualTo("M_NOT_JSON");
        assertThat(r.error()).isEqualTo("Content not JSON.");
    }

    @Test
    void refuses_content_nested_998_levels_with_400_M_NOT_JSON() {
        // Before: 200, and then /messages of the room answered 500 (the answer wraps the content 3 levels more).
        assertNotJson(send(Wire.nested(998).getBytes(StandardCharsets.UTF_8)));
        assertNotJson(send(("[".repeat(1000) + "]".repeat(1000)).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void serves_content_nested_at_the_input_limit_in_messages_and_context() {
        String deep = "{\"msgtype\":\"m.text\",\"body\":\"deep\",\"x\":" + Wire.nested(898) + "}";
        Wire.Reply sent = send(deep.getBytes(StandardCharsets.UTF_8));
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        String eventId = sent.json().path("event_id").asText();

        Wire.Reply messages = Wire.send("GET", roomPath() + "/messages?dir=b", alice.accessToken(), null, null);
        assertThat(messages.status()).as(messages.toString()).isEqualTo(200);
        Wire.Reply context = Wire.send("GET", roomPath() + "/context/" + URLEncoder.encode(eventId,
                StandardCharsets.UTF_8), alice.accessToken(), null, null);
        assertThat(context.status()).as(context.toString()).isEqualTo(200);
    }

    @Test
    void refuses_overlong_utf8_with_400_M_NOT_JSON() {
        // Before: stored as "/" (C0 AF is an overlong spelling of 0x2F).
        byte[] overlong = {'{', '"', 'b', 'o', 'd', 'y', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        assertNotJson(send(overlong));
        byte[] surrogate = {'{', '"', 'b', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        assertNotJson(send(surrogate));
    }

    @Test
    void refuses_utf16_utf32_and_a_byte_order_mark_with_400_M_NOT_JSON() {
        // Before: Jackson detected the encoding and stored the message.
        String body = "{\"msgtype\":\"m.text\",\"body\":\"x\"}";
        assertNotJson(send(body.getBytes(StandardCharsets.UTF_16LE)));
        assertNotJson(send(body.getBytes(StandardCharsets.UTF_16)));
        assertNotJson(send(body.getBytes(java.nio.charset.Charset.forName("UTF-32BE"))));
        byte[] bom = ("\uFEFF" + body).getBytes(StandardCharsets.UTF_8);
        assertNotJson(send(bom));
    }

    @Test
    void accepts_well_formed_utf8_beyond_ascii() {
        Wire.Reply r = send("{\"msgtype\":\"m.text\",\"body\":\"h\u00e9llo \uD83D\uDE00\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }
}
