package dev.fakehomeserver.internal.registration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegexShapeTest {

    @ParameterizedTest(name = "{0} -> \"{1}\"")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', value = {
            "@weather_.*:test => @weather_",
            "@irc\\.net_.* => @irc.net_",
            "^@a_.* => @a_",
            "@ab*c => @a",
            "@ab?c => @a",
            "@ab{2}c => @a",
            "@ab+c => @ab",
            "@a\\d+ => @a",
            "@a[bc] => @a",
            "@a(b|c) => @a",
            "@a|#b => \"\"",
            "(?i)@a => \"\"",
            "@exact:test => @exact:test",
    })
    void literal_prefix_is_what_every_match_starts_with(String regex, String prefix) {
        assertThat(RegexShape.literalPrefix(regex)).isEqualTo(prefix);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = "=>", value = {
            "@weather_.*:test => true",
            "@weather_.+ => true",
            "@weather_ => true",
            "@weather_$ => false",
            "@weather_[a-z]+ => false",
            "@ab*c => false",
            "@a_.*:x$ => true",
    })
    void open_ended_means_any_text_may_follow_the_prefix(String regex, boolean openEnded) {
        assertThat(RegexShape.openEnded(regex)).isEqualTo(openEnded);
    }
}
