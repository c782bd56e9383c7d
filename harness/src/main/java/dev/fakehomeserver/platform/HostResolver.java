package dev.fakehomeserver.platform;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether a host name resolves, as the platform's dashboard checks before it accepts a registration ("Meldry
 * validates the YAML (namespaces must not clash with existing bridges, the URL must resolve)"). The default asks
 * the system resolver; a test replaces it so that its result does not depend on the network.
 *
 * <pre>{@code
 * Homeserver.builder().hostedPlatform(Plan.PRO)
 *         .hostResolver(host -> host.equals("weather.example.com") || host.equals("127.0.0.1"))
 *         .start();
 * }</pre>
 */
@FunctionalInterface
public interface HostResolver {
    /** The system resolver ({@link InetAddress#getAllByName}); an IP literal resolves without a lookup. */
    HostResolver SYSTEM = host -> {
        try {
            return InetAddress.getAllByName(host).length > 0;
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    };

    /** Whether {@code host} (a name or an IP literal, without port) resolves to an address. */
    boolean resolves(String host);
}
