package dev.fakehomeserver.internal.registration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PythonRegexTest {

    @Test
    void translates_python_named_groups_and_back_references() {
        assertThat(PythonRegex.toJava("@(?P<net>[a-z]+)_(?P=net)")).isEqualTo("@(?<net>[a-z]+)_\\k<net>");
    }

    @Test
    void renames_python_group_names_that_java_refuses_consistently() {
        String java = PythonRegex.toJava("@(?P<my_net>[a-z]+)_(?P=my_net)");

        assertThat(java).isEqualTo("@(?<pyGroup1>[a-z]+)_\\k<pyGroup1>");
        assertThat(PythonRegex.compile("@(?P<my_net>[a-z]+)_(?P=my_net)").matcher("@irc_irc").matches()).isTrue();
    }

    @Test
    void python_end_of_string_does_not_allow_a_trailing_newline() {
        assertThat(PythonRegex.compile("@a:test\\Z").matcher("@a:test\n").lookingAt()).isFalse();
        assertThat(PythonRegex.compile("@a:test\\Z").matcher("@a:test").lookingAt()).isTrue();
    }

    @Test
    void reads_brackets_and_ampersands_in_a_class_literally_as_python_does() {
        assertThat(PythonRegex.compile("[[&]+").matcher("[&&[").matches()).isTrue();
        assertThat(PythonRegex.compile("[]a]").matcher("]").matches()).isTrue();
    }

    @Test
    void leaves_escapes_and_classes_alone() {
        assertThat(PythonRegex.toJava("@irc\\.(?:x|y)[^:(?P<]*:test$")).isEqualTo("@irc\\.(?:x|y)[^:(?P<]*:test$");
    }
}
