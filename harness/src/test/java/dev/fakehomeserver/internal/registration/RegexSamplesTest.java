package dev.fakehomeserver.internal.registration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegexSamplesTest {

    @Test
    void dot_star_gives_zero_and_one_character() {
        assertThat(RegexSamples.of("@weather_.*:test")).containsExactly("@weather_:test", "@weather_a:test");
    }

    @Test
    void a_class_gives_one_of_its_members() {
        assertThat(RegexSamples.of("@[a-z]+_bridge:test")).containsExactly("@a_bridge:test");
        assertThat(RegexSamples.of("@irc_[^:]+:test")).containsExactly("@irc_a:test");
    }

    @Test
    void every_branch_of_an_alternation_is_kept() {
        assertThat(RegexSamples.of("@(?:irc|xmpp)_x")).containsExactly("@irc_x", "@xmpp_x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"@weather_.*:test$", "#_irc_(?P<net>[a-z]+)_.+:example\\.org", "!\\w{3,}\\d?:t",
            "@(a|b|c)(d|e|f)(g|h|i)(j|k|l)", "@x(?=y)y.*", "(?i)@ab", "@a(?P<x>b)(?P=x)"})
    void every_sample_is_a_real_match_and_there_are_at_most_max(String regex) {
        List<String> samples = RegexSamples.of(regex);

        assertThat(samples).hasSizeLessThanOrEqualTo(RegexSamples.MAX)
                .allMatch(s -> PythonRegex.compile(regex).matcher(s).lookingAt());
    }
}
