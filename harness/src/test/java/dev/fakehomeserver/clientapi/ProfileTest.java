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

/**
 * Profiles: defaults, setting, refusals, and propagation to member events (synapse-observed §7). The statuses and
 * errcodes of every path are in the {@code profile} conversation; these check the values it cannot see.
 */
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

    @Test
    void strips_a_displayname_as_python_does_and_clears_it_with_an_empty_string() {
        f.c.put(profile(GHOST) + "/displayname").token(f.as).asUser(GHOST)
                .json(Map.of("displayname", " \u00a0Weather G\u202f\t")).send();
        assertThat(f.c.get(profile(GHOST) + "/displayname").send().str("displayname")).isEqualTo("Weather G");
        f.c.put(profile(GHOST) + "/displayname").token(f.as).asUser(GHOST).json(Map.of("displayname", "")).send();
        assertThat(f.c.get(profile(GHOST)).send().json().has("displayname")).isFalse();
    }

    @Test
    void counts_a_displayname_in_code_points_as_synapse_does() {
        String emoji = "\uD83D\uDE00";
        Reply ok = f.c.put(profile(GHOST) + "/displayname").token(f.as).asUser(GHOST)
                .json(Map.of("displayname", emoji.repeat(256))).send();
        Reply tooLong = f.c.put(profile(GHOST) + "/displayname").token(f.as).asUser(GHOST)
                .json(Map.of("displayname", emoji.repeat(257))).send();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.error()).isEqualTo("Displayname is too long (max 256)");
    }

    @Test
    void gives_the_sender_a_profile_of_just_the_field_it_sets() {
        String sender = "@weatherbot:test";
        assertThat(f.c.get(profile(sender)).send().status()).isEqualTo(404);
        assertThat(f.c.put(profile(sender) + "/avatar_url").token(f.as).json(Map.of("avatar_url", "mxc://test/b"))
                .send().status()).isEqualTo(200);
        Reply r = f.c.get(profile(sender)).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("avatar_url")).isEqualTo("mxc://test/b");
        assertThat(r.json().has("displayname")).as("Synapse upserts only the field set").isFalse();
    }

    @Test
    void reads_with_a_wrong_token_and_under_synapses_other_prefixes() {
        assertThat(f.c.get(profile(GHOST)).token("not-a-token").send().str("displayname")).isEqualTo("weather_g");
        assertThat(f.c.get("/_matrix/client/api/v1/profile/" + enc(GHOST) + "/displayname").send()
                .str("displayname")).isEqualTo("weather_g");
        assertThat(f.c.get(profile(GHOST) + "/m.tz").send().str("displayname"))
                .as("Synapse matches /profile/{userId} as a prefix").isEqualTo("weather_g");
    }
}
