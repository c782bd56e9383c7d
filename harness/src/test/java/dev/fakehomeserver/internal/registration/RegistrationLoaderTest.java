package dev.fakehomeserver.internal.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fakehomeserver.Namespace;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.RegistrationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistrationLoaderTest {
    /** The golden weather.yaml; tests change one line at a time so line numbers stay known. */
    static final String WEATHER = """
            id: weather
            url: http://127.0.0.1:9077
            as_token: as_token_weather_0123456789abcdef0123456789abcdef
            hs_token: hs_token_weather_0123456789abcdef0123456789abcdef
            sender_localpart: weatherbot
            rate_limited: false
            namespaces:
              users:
                - exclusive: true
                  regex: '@weather_.*:test'
              aliases:
                - exclusive: true
                  regex: '#weather_.*:test'
              rooms: []
            """;

    @TempDir
    Path dir;

    private static Registration load(String yaml) {
        return Registration.fromYaml(yaml, "weather.yaml");
    }

    private static RegistrationException refused(String yaml) {
        return catchThrowableOfType(RegistrationException.class, () -> load(yaml));
    }

    private static String replace(String from, String to) {
        assertThat(WEATHER).contains(from);
        return WEATHER.replace(from, to);
    }

    private static String without(String linePrefix) {
        return WEATHER.lines().filter(l -> !l.startsWith(linePrefix)).reduce("", (a, l) -> a + l + "\n");
    }

    @Test
    void loads_every_field_of_the_golden_registration_from_the_classpath() {
        Registration r = Registration.fromClasspath("registrations/weather.yaml");

        assertThat(r.id()).isEqualTo("weather");
        assertThat(r.url()).isEqualTo("http://127.0.0.1:9077");
        assertThat(r.asToken()).isEqualTo("as_token_weather_0123456789abcdef0123456789abcdef");
        assertThat(r.hsToken()).isEqualTo("hs_token_weather_0123456789abcdef0123456789abcdef");
        assertThat(r.senderLocalpart()).isEqualTo("weatherbot");
        assertThat(r.rateLimited()).isFalse();
        assertThat(r.users()).containsExactly(new Namespace("@weather_.*:test", true));
        assertThat(r.aliases()).containsExactly(new Namespace("#weather_.*:test", true));
        assertThat(r.rooms()).isEmpty();
        assertThat(r.protocols()).isEmpty();
        assertThat(r.source()).isEqualTo("classpath:registrations/weather.yaml");
    }

    @Test
    void refuses_missing_classpath_resource_naming_it() {
        assertThatThrownBy(() -> Registration.fromClasspath("registrations/nope.yaml"))
                .isInstanceOf(RegistrationException.class)
                .hasMessage("classpath:registrations/nope.yaml: no such classpath resource");
    }

    @Test
    void loads_from_a_file_and_records_its_path_as_source() throws IOException {
        Path file = Files.writeString(dir.resolve("weather.yaml"), WEATHER);

        assertThat(Registration.fromPath(file).source()).isEqualTo(file.toString());
    }

    @Test
    void refuses_exclusive_given_as_a_string_naming_file_field_and_line() throws IOException {
        Path file = Files.writeString(dir.resolve("weather.yaml"),
                replace("- exclusive: true\n      regex: '@", "- exclusive: \"true\"\n      regex: '@"));

        RegistrationException e = catchThrowableOfType(RegistrationException.class,
                () -> Registration.fromPath(file));

        assertThat(e).hasMessage(file + ": namespaces.users[0].exclusive (line 9): "
                + "must be true or false, got the string \"true\"");
        assertThat(e.source()).isEqualTo(file.toString());
        assertThat(e.field()).isEqualTo("namespaces.users[0].exclusive");
        assertThat(e.line()).isEqualTo(9);
    }

    @Test
    void refuses_unreadable_file_naming_it() {
        Path missing = dir.resolve("missing.yaml");

        assertThatThrownBy(() -> Registration.fromPath(missing))
                .isInstanceOf(RegistrationException.class)
                .hasMessageStartingWith(missing + ": cannot read the file");
    }

    @Test
    void loads_from_a_string_with_the_given_source_name() {
        assertThat(Registration.fromYaml(WEATHER, "inline").source()).isEqualTo("inline");
    }

    @Test
    void refuses_yaml_syntax_error_with_its_line() {
        RegistrationException e = refused(replace("sender_localpart: weatherbot", "sender_localpart: [weatherbot"));

        assertThat(e.line()).isBetween(5, 7);
        assertThat(e).hasMessageStartingWith("weather.yaml (line " + e.line() + "): invalid YAML: ");
    }

    @Test
    void refuses_empty_document() {
        assertThat(refused("# nothing\n")).hasMessageContaining("the document is empty");
    }

    @Test
    void refuses_document_that_is_not_a_mapping() {
        assertThat(refused("- id: weather\n")).hasMessage(
                "weather.yaml (line 1): the document must be a mapping of registration fields, got a list");
    }

    @Test
    void accepts_unknown_top_level_keys() {
        assertThat(load(WEATHER + "ip_range_whitelist: [127.0.0.1/8]\nsomething_new: 3\n").id()).isEqualTo("weather");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "as_token", "hs_token", "sender_localpart"})
    void refuses_missing_required_string(String field) {
        RegistrationException e = refused(without(field + ":"));

        assertThat(e.field()).isEqualTo(field);
        assertThat(e).hasMessageContaining("required string field is missing");
    }

    @Test
    void refuses_non_string_id_with_its_line() {
        assertThat(refused(replace("id: weather", "id: 42")))
                .hasMessage("weather.yaml: id (line 1): must be a string, got the number 42");
    }

    @Test
    void refuses_non_string_token_without_printing_it() {
        RegistrationException e = refused(replace("as_token: as_token_weather_0123456789abcdef0123456789abcdef",
                "as_token: 918273645"));

        assertThat(e).hasMessage("weather.yaml: as_token (line 3): must be a string, got a number");
    }

    @Test
    void refuses_id_containing_a_pipe() {
        assertThat(refused(replace("id: weather", "id: 'weather|eu'")))
                .hasMessageContaining("id (line 1): application service ID cannot contain '|' character");
    }

    @Test
    void refuses_missing_url_key() {
        RegistrationException e = refused(without("url:"));

        assertThat(e.field()).isEqualTo("url");
        assertThat(e).hasMessageContaining("url: null");
    }

    @Test
    void accepts_explicit_null_url() {
        assertThat(load(replace("url: http://127.0.0.1:9077", "url: null")).url()).isNull();
        assertThat(load(replace("url: http://127.0.0.1:9077", "url:")).url()).isNull();
    }

    @Test
    void refuses_non_string_url() {
        assertThat(refused(replace("url: http://127.0.0.1:9077", "url: [a]")))
                .hasMessage("weather.yaml: url (line 2): must be a string or null, got a list");
    }

    @Test
    void strips_trailing_slashes_from_url() {
        assertThat(load(replace("url: http://127.0.0.1:9077", "url: http://127.0.0.1:9077//")).url())
                .isEqualTo("http://127.0.0.1:9077");
    }

    @ParameterizedTest
    @ValueSource(strings = {"weather bot", "weather@bot", "weather:bot", "wéather", "weather%bot"})
    void refuses_sender_localpart_that_url_quoting_would_change(String localpart) {
        RegistrationException e = refused(replace("sender_localpart: weatherbot", "sender_localpart: '" + localpart + "'"));

        assertThat(e.field()).isEqualTo("sender_localpart");
        assertThat(e.line()).isEqualTo(5);
        assertThat(e).hasMessageContaining("needs characters which are not URL encoded");
    }

    @Test
    void accepts_sender_localpart_with_upper_case_and_url_safe_punctuation() {
        assertThat(load(replace("sender_localpart: weatherbot", "sender_localpart: Weather_bot.v2-~/x"))
                .senderLocalpart()).isEqualTo("Weather_bot.v2-~/x");
    }

    @Test
    void rate_limited_defaults_to_true() {
        assertThat(load(without("rate_limited:")).rateLimited()).isTrue();
    }

    @Test
    void non_boolean_rate_limited_becomes_true() {
        assertThat(load(replace("rate_limited: false", "rate_limited: 'false'")).rateLimited()).isTrue();
        assertThat(load(replace("rate_limited: false", "rate_limited: 0")).rateLimited()).isTrue();
    }

    @Test
    void refuses_missing_namespaces() {
        String yaml = WEATHER.substring(0, WEATHER.indexOf("namespaces:"));

        assertThat(refused(yaml).field()).isEqualTo("namespaces");
    }

    @Test
    void refuses_namespaces_that_is_not_a_mapping() {
        String yaml = WEATHER.substring(0, WEATHER.indexOf("namespaces:")) + "namespaces: [users]\n";

        assertThat(refused(yaml)).hasMessage("weather.yaml: namespaces (line 7): must be a mapping with optional "
                + "users, aliases and rooms, got a list");
    }

    @Test
    void accepts_namespaces_without_any_list() {
        String yaml = WEATHER.substring(0, WEATHER.indexOf("namespaces:")) + "namespaces: {}\n";

        Registration r = load(yaml);

        assertThat(r.users()).isEmpty();
        assertThat(r.aliases()).isEmpty();
        assertThat(r.rooms()).isEmpty();
    }

    @Test
    void refuses_null_namespace_list_with_a_hint_to_write_an_empty_list() {
        assertThat(refused(replace("rooms: []", "rooms:")))
                .hasMessage("weather.yaml: namespaces.rooms (line 14): is empty (null); write rooms: [] for an empty list");
    }

    @Test
    void refuses_namespace_list_that_is_not_a_list() {
        assertThat(refused(replace("rooms: []", "rooms: '!.*:test'")).field()).isEqualTo("namespaces.rooms");
    }

    @Test
    void refuses_namespace_entry_that_is_not_a_mapping() {
        assertThat(refused(replace("rooms: []", "rooms: ['!.*:test']")))
                .hasMessageContaining("namespaces.rooms[0] (line 14): must be a mapping with regex and exclusive");
    }

    @Test
    void refuses_missing_regex() {
        RegistrationException e = refused(replace("      regex: '#weather_.*:test'\n", ""));

        assertThat(e.field()).isEqualTo("namespaces.aliases[0].regex");
        assertThat(e.line()).isEqualTo(12);
    }

    @Test
    void refuses_non_string_regex() {
        assertThat(refused(replace("regex: '#weather_.*:test'", "regex: 12")))
                .hasMessage("weather.yaml: namespaces.aliases[0].regex (line 13): must be a string, got the number 12");
    }

    @Test
    void refuses_missing_exclusive() {
        RegistrationException e = refused(replace("rooms: []", "rooms:\n    - regex: '!.*:test'"));

        assertThat(e.field()).isEqualTo("namespaces.rooms[0].exclusive");
        assertThat(e).hasMessageContaining("required: true or false");
    }

    @Test
    void reads_yaml_1_1_boolean_words_as_pyyaml_does() {
        Registration r = load(replace("rooms: []", "rooms:\n    - {regex: '!a:test', exclusive: yes}\n"
                + "    - {regex: '!b:test', exclusive: off}"));

        assertThat(r.rooms()).containsExactly(new Namespace("!a:test", true), new Namespace("!b:test", false));
    }

    @Test
    void refuses_regex_that_does_not_compile_with_its_line() {
        RegistrationException e = refused(replace("'@weather_.*:test'", "'@weather_(.*:test'"));

        assertThat(e.field()).isEqualTo("namespaces.users[0].regex");
        assertThat(e.line()).isEqualTo(10);
        assertThat(e).hasMessageContaining("invalid regular expression");
    }

    @Test
    void accepts_python_named_groups_in_regexes() {
        Registration r = load(replace("'@weather_.*:test'", "'@(?P<net>[a-z]+)_(?P=net)_.*:test'"));

        assertThat(r.users().get(0).regex()).isEqualTo("@(?P<net>[a-z]+)_(?P=net)_.*:test");
        assertThat(r.users().get(0).matches("@irc_irc_bob:test")).isTrue();
        assertThat(r.users().get(0).matches("@irc_xmpp_bob:test")).isFalse();
    }

    @Test
    void reads_protocols() {
        assertThat(load(WEATHER + "protocols: [irc, gitter]\n").protocols()).containsExactly("irc", "gitter");
        assertThat(load(WEATHER + "protocols:\n").protocols()).isEmpty();
    }

    @Test
    void refuses_protocols_that_are_not_a_list_of_strings() {
        assertThat(refused(WEATHER + "protocols: irc\n").field()).isEqualTo("protocols");
        assertThat(refused(WEATHER + "protocols: [irc, 3]\n"))
                .hasMessage("weather.yaml: protocols[1] (line 15): must be a string, got the number 3");
    }

    @Test
    void reads_ephemeral_and_unstable_opt_ins() {
        Registration r = load(WEATHER + "receive_ephemeral: true\nde.sorunome.msc2409.push_ephemeral: true\n"
                + "org.matrix.msc3202: true\nio.element.msc4190: true\n");

        assertThat(r.receiveEphemeral()).isTrue();
        assertThat(r.msc2409PushEphemeral()).isTrue();
        assertThat(r.msc3202()).isTrue();
        assertThat(r.msc4190()).isTrue();
        assertThat(load(WEATHER).msc4190()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"receive_ephemeral", "de.sorunome.msc2409.push_ephemeral", "org.matrix.msc3202",
            "io.element.msc4190"})
    void refuses_non_boolean_opt_in(String key) {
        assertThat(refused(WEATHER + key + ": 'true'\n"))
                .hasMessage("weather.yaml: " + key + " (line 15): must be true or false if present, got the string \"true\"");
    }
}
