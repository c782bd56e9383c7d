package dev.fakehomeserver.journal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathPatternTest {
    @Test
    void a_star_or_a_named_segment_matches_exactly_one_segment() {
        assertThat(PathPattern.of("/rooms/*/send/{type}/{txn}").matches("/rooms/!a:test/send/m.room.message/t1")).isTrue();
        assertThat(PathPattern.of("/rooms/*/send").matches("/rooms/a/b/send")).isFalse();
    }

    @Test
    void a_double_star_or_a_trailing_star_matches_the_rest() {
        assertThat(PathPattern.of("/rooms/**/state").matches("/rooms/!a:test/x/state")).isTrue();
        assertThat(PathPattern.of("/rooms/*").matches("/rooms/!a:test/send/m.room.message/t1")).isTrue();
    }

    @Test
    void raw_paths_with_the_client_prefix_are_decoded_before_matching() {
        PathPattern p = PathPattern.of("/_matrix/client/v3/rooms/!a:test/send/*");
        assertThat(p.matches("/_matrix/client/r0/rooms/%21a%3Atest/send/m.room.message")).isTrue();
        assertThat(PathPattern.of("/profile/{user}/displayname").matches("/profile/%40a%2Bb%3Atest/displayname")).isTrue();
    }

    @Test
    void the_short_path_drops_the_client_prefix_and_any_version_but_keeps_unversioned_paths() {
        assertThat(PathPattern.withoutPrefix("/_matrix/client/v3/rooms/x")).isEqualTo("/rooms/x");
        assertThat(PathPattern.withoutPrefix("/_matrix/client/v1/rooms/x/hierarchy")).isEqualTo("/rooms/x/hierarchy");
        assertThat(PathPattern.withoutPrefix("/_matrix/client/unstable/org.matrix.msc3202/x"))
                .isEqualTo("/org.matrix.msc3202/x");
        assertThat(PathPattern.withoutPrefix("/_matrix/client/versions")).isEqualTo("/versions");
        assertThat(PathPattern.withoutPrefix("/_matrix/media/v3/upload")).isEqualTo("/_matrix/media/v3/upload");
    }

    @Test
    void a_recorded_request_and_a_pattern_read_the_short_path_by_the_same_rule() {
        for (String raw : new String[] {"/_matrix/client/v3/rooms/%21a%3Atest/send/m.room.message/t1",
                "/_matrix/client/v1/rooms/%21a%3Atest/send/m.room.message/t1",
                "/_matrix/client/unstable/rooms/%21a%3Atest/send/m.room.message/t1"}) {
            RecordedRequest r = new RecordedRequest(1, java.time.Instant.EPOCH, "PUT", raw, "", null, null, null,
                    200, null, null, "", "");
            assertThat(r.shortPath()).isEqualTo("/rooms/%21a%3Atest/send/m.room.message/t1");
            assertThat(PathPattern.of("/rooms/{roomId}/send/*").matches(raw)).isTrue();
            assertThat(PathPattern.of("/rooms/{roomId}/send/*").matches(r.shortPath())).isTrue();
        }
        assertThat(PathPattern.of("/versions").matches("/_matrix/client/versions")).isTrue();
    }
}
