package dev.fakehomeserver.assertj;

import dev.fakehomeserver.Homeserver;

/**
 * The one entry point of the fake homeserver's AssertJ assertions.
 *
 * <pre>{@code
 * import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;
 *
 * assertThat(hs).eventually().room("#weather_paris:test").timeline()
 *         .containsMessageFrom("@weather_paris:test", "Paris: sunny");
 * assertThat(hs).user("@weather_paris:test").isRegistered().hasDisplayName("Weather Paris");
 * assertThat(hs).journal().hasRequest("PUT", "/rooms/{roomId}/send/*").hasNoViolations();
 * }</pre>
 */
public final class HomeserverAssertions {
    private HomeserverAssertions() {}

    /** Starts asserting on what a fake homeserver holds and saw; checks once unless told to wait. */
    public static HomeserverAssert assertThat(Homeserver actual) {
        return new HomeserverAssert(actual);
    }
}
