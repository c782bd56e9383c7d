package dev.fakehomeserver.testing;

import dev.fakehomeserver.Registration;

/**
 * The registrations the harness tests share, so that "weather" means one thing everywhere: the recorded
 * conversation's appservice, sender {@code @weatherbot:test}, exclusive users {@code @weather_.*:test} and aliases
 * {@code #weather_.*:test}. Tests adjust a copy through the builder (url, rate limiting, flags).
 */
public final class TestRegistrations {
    private TestRegistrations() {}

    /** The weather registration as a builder, with fresh tokens and no url. */
    public static Registration.Builder weatherBuilder() {
        return Registration.builder("weather").senderLocalpart("weatherbot")
                .users("@weather_.*:test", true).aliases("#weather_.*:test", true);
    }

    /** The weather registration, with fresh tokens and no url. */
    public static Registration weather() {
        return weatherBuilder().build();
    }

    /** The weather registration pointing at {@code url}. */
    public static Registration weather(String url) {
        return weatherBuilder().url(url).build();
    }
}
