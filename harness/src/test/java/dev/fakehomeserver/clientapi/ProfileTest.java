package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.V3;
import static dev.fakehomeserver.testing.Fixture.enc;
import static dev.fakehomeserver.testing.Fixture.rooms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Profiles: defaults, setting, refusals, and propagation to member events (synapse-observed §7). */
class ProfileTest {
    private static final String GHOST = "@weather_g:test";
    @AutoClose
    private final Fixture f = Fixture.start();

    @BeforeEach
    void start() {
        f.ghost("weather_g");
    }

    private String profile(String userId) {
        return V3 + "/profile/" + enc(userId);
    }

    @Test
    void defaults_the_displayname_to_the_localpart_and_needs_no_token() {
        Reply r = f.c.get(profile(GHOST)).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("displayname")).isEqualTo("weather_g");
        assertThat(f.c.get(profile(GHOST) + "/displayname").send().str("displayname")).isEqualTo("weather_g");
    }

    @Test
    void sets_the_displayname_and_avatar_of_the_acting_user() {
        assertThat(f.c.put(profile(GHOST) + "/displayname").token(f.as).asUser(GHOST)
                .json(Map.of("displayname", "Weather G")).send().status()).isEqualTo(200);
        assertThat(f.c.put(profile(GHOST) + "/avatar_url").token(f.as).asUser(GHOST)
                .json(Map.of("avatar_url", "mxc://test/g")).send().status()).isEqualTo(200);
        Reply r = f.c.get(profile(GHOST)).send();
        assertThat(r.str("displayname")).isEqualTo("Weather G");
        assertThat(r.str("avatar_url")).isEqualTo("mxc://test/g");
    }

    @Test
    void refuses_setting_another_users_profile_with_400_M_FORBIDDEN() {
        f.register("alice");
        Reply r = f.c.put(profile("@alice:test") + "/displayname").token(f.as).asUser(GHOST)
                .json(Map.of("displayname", "X")).send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void answers_an_unknown_user_with_404_M_NOT_FOUND() {
        Reply r = f.c.get(profile("@nobody:test")).send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(r.error()).isEqualTo("Profile was not found");
    }

    @Test
    void propagates_a_new_displayname_to_the_member_events_of_joined_rooms() {
        String room = f.createRoomAs(GHOST, Map.of());
        f.c.put(profile(GHOST) + "/displayname").token(f.as).asUser(GHOST).json(Map.of("displayname", "G2")).send();
        Reply member = f.c.get(rooms(room) + "/state/m.room.member/" + enc(GHOST)).token(f.as).asUser(GHOST).send();
        assertThat(member.str("displayname")).isEqualTo("G2");
        assertThat(member.str("membership")).isEqualTo("join");
    }
}
