package dev.fakehomeserver.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.internal.base.MatrixException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Path segments decode as {@link URLDecoder} decoded them before the fast path (with '+' kept), refusals included:
 * the fast path takes only well-formed escapes and hands anything else to URLDecoder.
 */
class PathTemplateTest {
    /** What decoding meant before the fast path: URLDecoder with '+' kept, or null where it refused. */
    private static String reference(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String decodeOrNull(String s) {
        try {
            return PathTemplate.decode(s);
        } catch (MatrixException e) {
            return null;
        }
    }

    @Test
    void decodes_room_ids_state_keys_and_utf8_as_before() {
        assertThat(PathTemplate.decode("%21room%3Atest")).isEqualTo("!room:test");
        assertThat(PathTemplate.decode("a%2Fb")).isEqualTo("a/b");
        assertThat(PathTemplate.decode("caf%C3%A9")).isEqualTo("café");
        assertThat(PathTemplate.decode("a+b%20c")).isEqualTo("a+b c");
        assertThat(PathTemplate.decode("%F0%9F%98%80")).isEqualTo("\uD83D\uDE00");
        assertThat(PathTemplate.decode("%ff")).isEqualTo(reference("%ff")).isEqualTo("\uFFFD");
        assertThat(PathTemplate.decode("plain")).isEqualTo("plain");
    }

    @Test
    void refuses_malformed_escapes_as_before() {
        for (String bad : List.of("%", "%2", "abc%", "%zz", "%-1", "%2g", "x%1")) {
            assertThat(reference(bad)).as(bad).isNull();
            assertThatThrownBy(() -> PathTemplate.decode(bad)).as(bad).isInstanceOf(MatrixException.class)
                    .hasMessageContaining("Malformed percent-encoding in the path");
        }
        // Escapes the fast path does not take go to URLDecoder, as before: "%+f" (its '+' kept as %2B) is refused.
        assertThat(reference("%+f")).isNull();
        assertThat(decodeOrNull("%+f")).isNull();
    }

    @Test
    void agrees_with_the_reference_on_twenty_thousand_random_segments() {
        char[] alphabet = {'%', '%', '%', '2', 'F', 'f', 'C', '3', 'A', '9', 'z', '+', '-', 'é', '!', ':', '0'};
        Random random = new Random(22);
        for (int k = 0; k < 20_000; k++) {
            StringBuilder b = new StringBuilder();
            int len = random.nextInt(12);
            for (int i = 0; i < len; i++) {
                b.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String s = b.toString();
            assertThat(decodeOrNull(s)).as("decoding '%s'", s).isEqualTo(reference(s));
        }
    }

    @Test
    void a_route_matches_literals_and_captures_and_reads_its_parameters() {
        Route send = new Route("PUT", "/_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId+}",
                AuthMode.REQUIRED, c -> null);
        List<String> path = PathTemplate.splitDecoded("/_matrix/client/v3/rooms/%21r%3Atest/send/m.room.message/t1");
        assertThat(send.matches(path)).isTrue();
        assertThat(send.params(path)).containsExactly(java.util.Map.entry("roomId", "!r:test"),
                java.util.Map.entry("eventType", "m.room.message"), java.util.Map.entry("txnId", "t1"));
        assertThat(send.matches(PathTemplate.splitDecoded("/_matrix/client/v3/rooms/!r:test/send/m.room.message/")))
                .as("a {name+} capture does not match an empty segment").isFalse();
        assertThat(send.matches(PathTemplate.splitDecoded("/_matrix/client/v3/rooms/!r:test/sent/m.room.message/t")))
                .isFalse();
        assertThat(send.matches(PathTemplate.splitDecoded("/_matrix/client/v3/rooms//send/x/t"))).isTrue();
    }
}
