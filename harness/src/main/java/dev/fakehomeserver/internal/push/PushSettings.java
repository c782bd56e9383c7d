package dev.fakehomeserver.internal.push;

import java.time.Duration;

/**
 * How the homeserver talks to appservices.
 *
 * @param headerAuth send {@code Authorization: Bearer <hs_token>} (Synapse always does)
 * @param queryAuth also send {@code ?access_token=<hs_token>}: what the hosting platform documents; Synapse
 *     sends it only with {@code use_appservice_legacy_authorization} since 1.90 (spec-digest §2.1). Never on ping.
 * @param timeout how long to wait for an appservice's response headers (Synapse: 60 s)
 * @param time the clock retries are scheduled on, or null for the system clock on the server's scheduler
 */
public record PushSettings(boolean headerAuth, boolean queryAuth, Duration timeout, DueTasks time) {
    public static PushSettings defaults() {
        return new PushSettings(true, true, Duration.ofSeconds(60), null);
    }
}
