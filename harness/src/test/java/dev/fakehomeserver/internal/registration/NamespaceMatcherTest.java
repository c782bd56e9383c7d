package dev.fakehomeserver.internal.registration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Registration;
import org.junit.jupiter.api.Test;

class NamespaceMatcherTest {

    private static NamespaceMatcher users(String regex, boolean exclusive) {
        return new NamespaceMatcher(Registration.builder("irc").users(regex, exclusive).build(), "example.org");
    }

    @Test
    void regex_matches_anchored_at_start_not_end() {
        NamespaceMatcher m = users("@_irc_.*:example\\.org", true);

        assertThat(m.isInterestedInUser("@_irc_foo:example.org")).isTrue();
        assertThat(m.isInterestedInUser("@_irc_foo:example.org.evil.com")).isTrue();
        assertThat(m.isInterestedInUser("@bob@_irc_foo:example.org")).isFalse();
    }

    @Test
    void regex_is_case_sensitive() {
        NamespaceMatcher m = users("@_irc_.*", true);

        assertThat(m.isInterestedInUser("@_irc_foo:x")).isTrue();
        assertThat(m.isInterestedInUser("@_IRC_foo:x")).isFalse();
    }

    @Test
    void regex_without_the_sigil_never_matches() {
        assertThat(users("irc", true).isInterestedInUser("@irc_x:y")).isFalse();
    }

    @Test
    void first_matching_entry_decides_exclusivity() {
        Registration r = Registration.builder("irc")
                .users("@_irc_bot_.*", false)
                .users("@_irc_.*", true)
                .build();
        NamespaceMatcher m = new NamespaceMatcher(r, "example.org");

        assertThat(m.isExclusiveUser("@_irc_bot_1:example.org")).isFalse();
        assertThat(m.isExclusiveUser("@_irc_alice:example.org")).isTrue();
    }

    @Test
    void sender_is_always_interested_and_exclusive() {
        NamespaceMatcher m = new NamespaceMatcher(Registration.builder("irc").senderLocalpart("ircbot").build(),
                "example.org");

        assertThat(m.isInterestedInUser("@ircbot:example.org")).isTrue();
        assertThat(m.isExclusiveUser("@ircbot:example.org")).isTrue();
        assertThat(m.userMatchesNamespace("@ircbot:example.org")).isFalse();
        assertThat(m.isInterestedInUser("@ircbot:other.org")).isFalse();
    }

    @Test
    void remote_users_are_matched_without_a_locality_check() {
        NamespaceMatcher m = users("@_irc_.*", true);

        assertThat(m.isInterestedInUser("@_irc_foo:somewhere.else")).isTrue();
        assertThat(m.isExclusiveUser("@_irc_foo:somewhere.else")).isTrue();
    }

    @Test
    void aliases_and_rooms_match_with_their_own_exclusivity() {
        Registration r = Registration.builder("irc")
                .aliases("#_irc_.*:example\\.org", true)
                .rooms("!irc.*:example\\.org", false)
                .build();
        NamespaceMatcher m = new NamespaceMatcher(r, "example.org");

        assertThat(m.isInterestedInAlias("#_irc_chan:example.org")).isTrue();
        assertThat(m.isExclusiveAlias("#_irc_chan:example.org")).isTrue();
        assertThat(m.isInterestedInRoomId("!ircabc:example.org")).isTrue();
        assertThat(m.isExclusiveRoom("!ircabc:example.org")).isFalse();
        assertThat(m.isInterestedInAlias("#other:example.org")).isFalse();
    }

    @Test
    void python_named_groups_work_in_namespaces() {
        assertThat(users("@(?P<net>irc|xmpp)_(?P=net)_.*", true).isInterestedInUser("@xmpp_xmpp_bob:x")).isTrue();
    }
}
