package dev.fakehomeserver.internal.engine;

import dev.fakehomeserver.Registration;
import dev.fakehomeserver.internal.dsl.SeedLoader;
import dev.fakehomeserver.internal.model.Options;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.platform.HostResolver;
import dev.fakehomeserver.platform.Plan;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Everything the builder collected, as the {@link Engine} takes it: the one place the facade's options become
 * engine settings.
 *
 * @param serverName the part after {@code :} in user ids
 * @param bindHost the address to listen on
 * @param port the port, 0 for a free one
 * @param registrations the appservices loaded at start
 * @param options the model's switches (registration rules, size limits, rate limiting)
 * @param clock event timestamps and retry times
 * @param clockTicks for a clock the test advances by hand ({@code VirtualClock}): subscribes a listener to its
 *     advances and returns what unsubscribes it; retries are then due tasks it runs. Null for a real clock.
 * @param pushAuthHeader send the hs_token in the {@code Authorization} header
 * @param pushAuthQuery send the hs_token as {@code ?access_token=}
 * @param appserviceTimeout how long an appservice may take to answer
 * @param userInUseIsViolation whether an appservice's {@code M_USER_IN_USE} for a user of its own namespace (a
 *     registration retry) counts as a violation
 * @param seeds applied at start and after every reset
 * @param defaultWait how long assertions wait unless told otherwise
 * @param requestLog one line per answered request, or null
 * @param transactionLog every request to an appservice once answered, or null
 * @param connectionLimits the request-head and idle timeouts
 * @param platform the hosting platform's plan when its rules are on, or null (plain Synapse with its two
 *     platform rules, {@link Options})
 * @param hostResolver how the platform's dashboard checks that a url's host resolves
 * @param randomSeed the seed of every id, token and opaque string the server makes
 * @param seedFixed whether the test fixed that seed (then access tokens follow it too, and are guessable)
 * @param https a second listener, serving the same API over TLS, or null for plain HTTP only
 */
public record EngineConfig(String serverName, String bindHost, int port, List<Registration> registrations,
                           Options options, Clock clock, UnaryOperator<Runnable> clockTicks, boolean pushAuthHeader, boolean pushAuthQuery,
                           Duration appserviceTimeout, boolean userInUseIsViolation, List<SeedLoader.Seed> seeds, Duration defaultWait,
                           Consumer<String> requestLog, Consumer<RecordedTransaction> transactionLog,
                           ConnectionLimits connectionLimits, Plan platform, HostResolver hostResolver,
                           long randomSeed, boolean seedFixed, Https https) {
    /** The TLS listener: its port (0 for a free one) and the server's certificate and key. */
    public record Https(int port, javax.net.ssl.SSLContext context) {}

    public EngineConfig {
        registrations = List.copyOf(registrations);
        seeds = List.copyOf(seeds);
    }
}
