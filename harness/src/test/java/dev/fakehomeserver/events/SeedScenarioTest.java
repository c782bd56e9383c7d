package dev.fakehomeserver.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.Homeserver;
import org.junit.jupiter.api.Test;

class SeedScenarioTest {
    @Test
    void seeds_users_and_rooms_from_a_classpath_file_and_again_after_reset() {
        try (Homeserver hs = Homeserver.builder().seedResource("seeds/lobby.yaml").start()) {
            assertSeeded(hs);
            hs.user("@alice:test").send("#lobby:test", "noise");
            hs.reset();
            assertSeeded(hs);
            assertThat(hs.room("#lobby:test").messages()).isEmpty();
        }
    }

    private static void assertSeeded(Homeserver hs) {
        assertThat(hs.findUser("@alice:test").orElseThrow().displayName()).isEqualTo("Alice");
        assertThat(hs.room("#lobby:test").name()).isEqualTo("Lobby");
        assertThat(hs.room("#lobby:test").topic()).isEqualTo("Say hi");
        assertThat(hs.room("#lobby:test").joinedMembers()).containsExactly("@alice:test", "@bob:elsewhere");
        assertThat(hs.room("#lobby:test").membership("@carol:test")).isEqualTo("invite");
        assertThat(hs.rooms()).filteredOn(r -> "Secret".equals(r.name())).singleElement()
                .satisfies(r -> assertThat(r.joinedMembers()).contains("@bob:elsewhere"));
    }

    @Test
    void refuses_a_seed_with_an_unknown_preset_naming_the_file_field_and_line() {
        assertThatThrownBy(() -> Homeserver.builder().seedResource("seeds/bad-preset.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("classpath:seeds/bad-preset.yaml line 4, field 'rooms[0].preset': unknown preset 'publik'"
                        + " (expected one of public_chat, private_chat, trusted_private_chat)");
    }

    @Test
    void refuses_a_seed_with_an_unknown_field_naming_its_line() {
        try (Homeserver hs = Homeserver.builder().start()) {
            assertThatThrownBy(() -> hs.seedYaml("users:\n  - id: \"@a:test\"\n    nick: A\n", "inline.yaml"))
                    .hasMessageStartingWith("inline.yaml line 3, field 'users[0].nick': unknown field");
        }
    }

    @Test
    void reports_a_refused_seed_entry_with_its_line() {
        try (Homeserver hs = Homeserver.builder().start()) {
            String yaml = "rooms:\n  - creator: \"@a:test\"\n  - creator: \"@b:test\"\n    alias: dup\n"
                    + "  - creator: \"@c:test\"\n    alias: dup\n";
            assertThatThrownBy(() -> hs.seedYaml(yaml, "dup.yaml"))
                    .hasMessageStartingWith("dup.yaml line 5, rooms entry: M_ROOM_IN_USE");
        }
    }
}
