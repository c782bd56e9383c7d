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
}
