package dev.fakehomeserver;

import dev.fakehomeserver.internal.registration.PythonRegex;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of a registration's {@code users}, {@code aliases} or {@code rooms} namespace list.
 *
 * <p>Matching follows Synapse, which uses Python's {@code re.match}: the regex is anchored at the start of the
 * identifier but <em>not</em> at its end, and it is case-sensitive. {@code @weather_.*:test} therefore also
 * matches {@code @weather_x:test.evil.org}; write {@code $} to anchor the end.
 *
 * <pre>{@code
 * Namespace ns = new Namespace("@weather_.*:test", true);
 * ns.matches("@weather_paris:test");   // true
 * ns.matches("@WEATHER_paris:test");   // false: case-sensitive
 * }</pre>
 *
 * @param regex the regular expression as written in the registration file
 * @param exclusive whether the appservice claims the matching identifiers for itself alone
 */
public record Namespace(String regex, boolean exclusive) {

    /** Requires a regex; whether it compiles is checked when a registration file is loaded or validated. */
    public Namespace {
        Objects.requireNonNull(regex, "regex");
    }

    /**
     * The compiled pattern, after translating Python-only syntax such as {@code (?P<name>...)} (registration files
     * are written for Synapse's Python regexes). Compiled on every call, so keep the result where it is used often.
     */
    public Pattern pattern() {
        return PythonRegex.compile(regex);
    }

    /** Whether {@code id} matches with Synapse's semantics (anchored at the start only). */
    public boolean matches(String id) {
        return dev.fakehomeserver.internal.registration.RegexBudget.lookingAt(pattern(), id);
    }
}
