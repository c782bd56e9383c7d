package dev.fakehomeserver.platform;

import dev.fakehomeserver.Registration;
import dev.fakehomeserver.journal.RecordedTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The hosting platform's dashboard, "Server → Appservices", as the fake plays it ({@code hs.dashboard()}, and
 * {@code /_fakehs/v1/platform/...} in the control API; docs/platform.md). Register and remove do what the seed
 * says the dashboard does: "Meldry validates the YAML (namespaces must not clash with existing bridges, the URL
 * must resolve), writes it to the homeserver config, and restarts the homeserver to pick it up. Takes about 10
 * seconds." During the {@link #RESTART restart}, on the homeserver's clock, every client-server request is
 * answered {@code 502 M_UNKNOWN} and nothing is pushed; afterwards what waited is pushed.
 *
 * <pre>{@code
 * Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).clock(clock).start();
 * hs.dashboard().register(Files.readString(Path.of("registration.yaml")));
 * clock.advance(Dashboard.RESTART);              // the homeserver is back, with the new appservice
 * hs.dashboard().remove("weather");              // its ghosts stay; its as_token is refused from now on
 * }</pre>
 */
public interface Dashboard {
    /** How long the homeserver restarts after a register or remove: the seed's "about 10 seconds". */
    Duration RESTART = Duration.ofSeconds(10);

    /** The plan the platform runs on. */
    Plan plan();

    /** The platform's own bridges (Telegram, Slack, Discord), which do not count against the plan. */
    List<Registration> managedBridges();

    /**
     * "Server → Appservices → Register new": parses the YAML as a registration file is parsed at start, checks
     * that its url's host resolves (with the {@link HostResolver}), checks it with the start checks and the
     * platform's (plan limit, namespace conflicts with the bridges), adds it, then restarts the homeserver.
     *
     * @return the registration as added
     * @throws dev.fakehomeserver.RegistrationException naming the field and the line when the dashboard refuses it;
     *     nothing changes and no restart happens then
     */
    Registration register(String yaml);

    /**
     * "Find the registration by ID and click Remove": removes it and restarts the homeserver. Its users stay (in
     * member lists and room histories); its as_token is refused ({@code 401 M_UNKNOWN_TOKEN}) and nothing more is
     * pushed to it.
     *
     * @throws java.util.NoSuchElementException when no appservice has this id
     * @throws IllegalArgumentException for a managed bridge
     */
    void remove(String appserviceId);

    /** Whether the homeserver is restarting now. */
    boolean restarting();

    /** When the current restart ends, on the homeserver's clock; empty when it is not restarting. */
    Optional<Instant> restartEndsAt();

    /**
     * What the dashboard shows under "Server → Logs → Appservices": the HTTP error responses of requests to the
     * appservices (and requests that got no answer), oldest first, as a filtered view of
     * {@code hs.transactions()}. The seed: "Events not arriving at your endpoint: check the Meldry dashboard →
     * Server → Logs → Appservices for HTTP error responses. Common causes: wrong URL, expired TLS, wrong hs_token."
     *
     * <pre>{@code
     * assertThat(hs.dashboard().appserviceLogs()).extracting(RecordedTransaction::status).containsOnly(401);
     * }</pre>
     */
    List<RecordedTransaction> appserviceLogs();

    /** Replaces how the url check resolves hosts (the builder's {@code hostResolver}, else the system's). */
    void hostResolver(HostResolver resolver);
}
