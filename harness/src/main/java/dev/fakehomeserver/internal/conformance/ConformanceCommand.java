package dev.fakehomeserver.internal.conformance;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.conformance.AppserviceConformance;
import dev.fakehomeserver.conformance.ConformanceReport;
import dev.fakehomeserver.conformance.Level;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code java -jar fake-homeserver-standalone.jar conformance --registration r.yaml}: starts the fake on the
 * port the appservice expects its homeserver at, waits for the appservice to listen at its registration's url,
 * runs every check, prints the table, and exits 1 when a MUST check fails (2 on a bad command line).
 */
public final class ConformanceCommand {
    static final String HELP = """
            Usage: fake-homeserver conformance --registration FILE [options]
            Checks a running appservice's side of the contract (docs/conformance.md), as its homeserver.
              --registration FILE  the appservice's registration (its url is where the appservice listens)
              --port PORT          where the fake listens, the appservice's homeserver url (default: 8008)
              --server-name NAME   the server name of user ids (default: test)
              --as-url URL         the appservice's url, instead of the registration's
              --probe TEXT         a message the appservice reacts to, so "processed once" can be observed
              --wait SECONDS       how long to wait for the appservice to listen (default: 30)
              --timeout SECONDS    the homeserver's timeout per request (default: 60, as Synapse)
            Exit code: 0 when every MUST check passes, 1 when one fails, 2 on a bad command line.
            """;

    private ConformanceCommand() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String registration = null;
        String serverName = "test";
        String asUrl = null;
        String probe = null;
        int port = 8008;
        int waitSeconds = 30;
        int timeoutSeconds = 60;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help")) {
                    out.print(HELP);
                    return 0;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("unknown option or missing value: " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--registration" -> registration = v;
                    case "--port" -> port = Integer.parseInt(v);
                    case "--server-name" -> serverName = v;
                    case "--as-url" -> asUrl = v;
                    case "--probe" -> probe = v;
                    case "--wait" -> waitSeconds = Integer.parseInt(v);
                    case "--timeout" -> timeoutSeconds = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (registration == null) {
                throw new IllegalArgumentException("--registration FILE is required");
            }
            if (port < 0 || port > 65535 || waitSeconds < 0 || timeoutSeconds < 1) {
                throw new IllegalArgumentException("--port 0-65535, --wait 0 or more, --timeout 1 or more");
            }
        } catch (IllegalArgumentException e) { // NumberFormatException too
            err.println("fake-homeserver conformance: " + e.getMessage() + "\n" + HELP);
            return 2;
        }
        Registration reg;
        try {
            reg = Registration.fromPath(Path.of(registration));
        } catch (RuntimeException e) {
            err.println("fake-homeserver conformance: " + e.getMessage());
            return 2;
        }
        try (Homeserver hs = Homeserver.builder().port(port).serverName(serverName).registration(reg).start()) {
            if (asUrl != null) {
                hs.setAppserviceUrl(reg.id(), asUrl);
            }
            String url = hs.registration(reg.id()).url();
            out.println("fake homeserver at " + hs.url() + " (server name " + serverName + "); checking appservice "
                    + reg.id() + " at " + url);
            if (url == null || !listening(url, Duration.ofSeconds(waitSeconds))) {
                err.println("fake-homeserver conformance: nothing listens at " + url + " after " + waitSeconds + " s");
                return 1;
            }
            AppserviceConformance kit = AppserviceConformance.of(hs, reg.id())
                    .requestTimeout(Duration.ofSeconds(timeoutSeconds));
            if (probe != null) {
                kit.probe(probe);
            }
            ConformanceReport report = kit.run();
            out.print(report.table());
            boolean ok = report.conformsTo(Level.MUST);
            out.println(ok ? "conforms to every MUST" : "FAILS " + report.failures(Level.MUST).size() + " MUST checks");
            return ok ? 0 : 1;
        } catch (RuntimeException e) {
            err.println("fake-homeserver conformance: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Whether something accepts connections at the url's host and port within {@code wait}: the appservice is
     * another process, started after the fake (it calls its homeserver as it starts), and gives no signal but its
     * open port, so this tries to connect every 100 ms.
     */
    static boolean listening(String url, Duration wait) {
        URI u = URI.create(url);
        int port = u.getPort() != -1 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
        long deadline = System.nanoTime() + wait.toNanos();
        do {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(u.getHost(), port), 1000);
                return true;
            } catch (IOException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        } while (System.nanoTime() < deadline);
        return false;
    }
}
