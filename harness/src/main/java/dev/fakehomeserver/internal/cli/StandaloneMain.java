package dev.fakehomeserver.internal.cli;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.HomeserverBuilder;
import dev.fakehomeserver.Registration;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The standalone fake homeserver: {@code java -jar fake-homeserver-<version>-standalone.jar [options]}.
 *
 * <p>{@link #run} does the work and returns the exit code, so tests call it in process: 0 after a clean
 * shutdown, 2 for a bad flag or a bad registration (one line on stderr), 1 when the server cannot start (the port
 * is taken). Every flag has an environment variable: {@code --server-name} is {@code FAKEHS_SERVER_NAME}; flags
 * win over the environment.
 */
@Command(name = "fake-homeserver", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = StandaloneMain.Version.class,
        description = {"A fake Matrix homeserver for testing application services.",
                "Every option can also be set from the environment: --server-name is FAKEHS_SERVER_NAME, "
                        + "--no-control-token is FAKEHS_NO_CONTROL_TOKEN=true; lists are comma-separated."})
public final class StandaloneMain {
    static final String ENV_PREFIX = "FAKEHS_";

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8008",
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 exposes the fake to the network).")
    String bind;

    @Option(names = "--server-name", paramLabel = "NAME", defaultValue = "test",
            description = "Server name, the part after ':' in user ids (default: ${DEFAULT-VALUE}).")
    String serverName;

    @Option(names = "--registration", paramLabel = "FILE", split = ",",
            description = "Appservice registration YAML to load; repeatable. Without any, an example "
                    + "registration is generated in a temporary directory.")
    List<Path> registrations = new ArrayList<>();

    @Option(names = "--as-url", paramLabel = "ID=URL", split = ",",
            description = "Push url of appservice ID, replacing its registration's url; repeatable.")
    Map<String, String> asUrls = new LinkedHashMap<>();

    @Option(names = "--no-exclusive-user-rule",
            description = "Let appservices create users their non-exclusive namespaces match, as plain Synapse "
                    + "does (the hosting platform requires an exclusive users namespace).")
    boolean noExclusiveUserRule;

    @Option(names = "--no-namespace-conflict-check",
            description = "Accept registrations whose exclusive namespaces overlap.")
    boolean noNamespaceConflictCheck;

    @Option(names = "--closed-registration",
            description = "Refuse registration of ordinary users (m.login.dummy), as Synapse's default does.")
    boolean closedRegistration;

    @Option(names = "--control-token", paramLabel = "TOKEN",
            description = "Bearer token of the control API under /_fakehs/v1/ (default: a random one, printed).")
    String controlToken;

    @Option(names = "--no-control-token",
            description = "Serve the control API without a token (only on a machine you trust).")
    boolean noControlToken;

    @Option(names = "--verbose", description = "Print one line per request answered, and one per request sent to "
            + "an appservice (transactions, queries, pings).")
    boolean verbose;

    private StandaloneMain() {}

    public static void main(String[] args) {
        preload();
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Cold start (benchmarks/README.md, figure 1) is mostly class loading on one thread: the command line
     * (picocli), then the registration (SnakeYAML), the server (Undertow), and on the first request Jackson's
     * databind. A daemon thread loads SnakeYAML, Jackson and XNIO meanwhile, on the machine's other core: the main
     * thread then finds them loaded (or waits for the class being loaded, never loading it twice). Nothing it
     * does is visible; a failure here only means the main thread loads them itself.
     */
    private static void preload() {
        Thread t = new Thread(() -> {
            try {
                new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
                        new org.yaml.snakeyaml.LoaderOptions())).load("a: [1, 'b']");
                dev.fakehomeserver.internal.http.Json.parse(
                        dev.fakehomeserver.internal.http.Json.bytes(
                                dev.fakehomeserver.internal.http.Json.object().put("a", "b")));
                // The server's IO layer: the provider lookup and its worker classes (no worker is started).
                org.xnio.Xnio.getInstance(io.undertow.Undertow.class.getClassLoader());
                io.undertow.Undertow.builder();
            } catch (RuntimeException | LinkageError e) {
                // only a head start: the main thread does the real work either way
            }
        }, "fake-homeserver-preload");
        t.setDaemon(true);
        t.start();
    }

    /** Parses, starts, prints where the server is, and blocks until SIGINT/SIGTERM; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err, null);
    }

    /**
     * Like {@link #run(String[], PrintStream, PrintStream)} with an explicit environment; {@code started}, when
     * not null, receives the running server instead of blocking until shutdown (tests close it themselves).
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
                   java.util.function.Consumer<Homeserver> started) {
        StandaloneMain opts = new StandaloneMain();
        CommandLine cl = new CommandLine(opts)
                .setDefaultValueProvider(arg -> fromEnv(arg, env))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        try {
            CommandLine.ParseResult parsed = cl.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return 0;
            }
        } catch (CommandLine.ParameterException e) {
            err.println("fake-homeserver: " + oneLine(e.getMessage()) + " (see --help)");
            return 2;
        }
        return opts.start(out, err, started);
    }

    /** {@code --server-name} reads {@code FAKEHS_SERVER_NAME}. */
    private static String fromEnv(ArgSpec arg, Map<String, String> env) {
        if (!(arg instanceof OptionSpec o)) {
            return null;
        }
        String name = ENV_PREFIX + o.longestName().replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    private int start(PrintStream out, PrintStream err, java.util.function.Consumer<Homeserver> started) {
        if (port < 0 || port > 65535) {
            err.println("fake-homeserver: --port must be between 0 and 65535, got " + port);
            return 2;
        }
        if (controlToken != null && noControlToken) {
            err.println("fake-homeserver: --control-token and --no-control-token contradict each other");
            return 2;
        }
        HomeserverBuilder b = Homeserver.builder().port(port).bindAddress(bind).serverName(serverName)
                .openRegistration(!closedRegistration)
                .requireExclusiveUserNamespace(!noExclusiveUserRule)
                .checkNamespaceConflicts(!noNamespaceConflictCheck);
        Path generated = null;
        List<Registration> regs = new ArrayList<>();
        try {
            if (registrations.isEmpty()) {
                generated = ExampleRegistration.write(serverName);
                registrations.add(generated);
            }
            for (Path p : registrations) {
                regs.add(Registration.fromPath(p));
            }
        } catch (IllegalArgumentException e) {
            // RegistrationException: its message names the file, the field and the line.
            err.println("fake-homeserver: bad registration: " + oneLine(e.getMessage()));
            return 2;
        } catch (UncheckedIOException e) {
            err.println("fake-homeserver: cannot write the example registration: " + oneLine(e.getMessage()));
            return 1;
        }
        for (Map.Entry<String, String> e : asUrls.entrySet()) {
            int i = indexOf(regs, e.getKey());
            if (i < 0) {
                err.println("fake-homeserver: --as-url " + e.getKey() + "=...: no registration has id '"
                        + e.getKey() + "' (loaded: " + regs.stream().map(Registration::id).toList() + ")");
                return 2;
            }
            regs.set(i, regs.get(i).withUrl(e.getValue()));
        }
        regs.forEach(b::registration);
        String token = noControlToken ? null : controlToken != null ? controlToken : Registration.Builder.randomToken();
        b.controlApi(token);
        if (verbose) {
            b.requestLog(line -> out.println("fake-homeserver: " + line));
            // One line per request to an appservice too; its toString has the path only, never the hs_token.
            b.transactionLog(t -> out.println("fake-homeserver: to appservice " + t));
        }
        Homeserver hs;
        try {
            hs = b.start();
        } catch (RuntimeException e) {
            err.println("fake-homeserver: cannot start on " + bind + ":" + port + ": " + oneLine(String.valueOf(
                    e.getCause() != null ? e.getCause().getMessage() : e.getMessage())));
            return 1;
        }
        if (started != null) {
            printBanner(out, hs, regs, generated, token);
            started.accept(hs);
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // Registered before the banner: whoever waits for "listening on" may send SIGTERM at once.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("fake-homeserver: stopping");
            hs.close();
            stopped.countDown();
        }, "fake-homeserver-shutdown"));
        printBanner(out, hs, regs, generated, token);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The line naming the url comes last, so a script that waits for it knows everything above is done. */
    private static void printBanner(PrintStream out, Homeserver hs, List<Registration> regs, Path generated,
                                    String token) {
        out.println("fake-homeserver: server name " + hs.serverName());
        for (Registration r : regs) {
            out.println("  appservice " + r.id() + " from " + r.source() + ", pushing to "
                    + (r.url() == null ? "nothing (url: null)" : r.url()));
        }
        if (generated != null) {
            out.println("  no --registration given: generated an example registration at " + generated);
            out.println("  point your appservice at homeserver url " + hs.url() + " with that file's as_token,");
            out.println("  and listen on its url (or start with --as-url example=http://127.0.0.1:PORT)");
        } else {
            out.println("  point your appservice at homeserver url " + hs.url()
                    + "; change a push url with --as-url ID=URL");
        }
        out.println(token == null ? "  control API: " + hs.url() + "/_fakehs/v1/ (no token)"
                : "  control API: " + hs.url() + "/_fakehs/v1/ with 'Authorization: Bearer " + token + "'");
        out.println("fake-homeserver listening on " + hs.url() + " (Ctrl-C stops it)");
    }

    private static int indexOf(List<Registration> regs, String id) {
        for (int i = 0; i < regs.size(); i++) {
            if (regs.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    /** Writes the example registration used when none is given. */
    static final class ExampleRegistration {
        private ExampleRegistration() {}

        /** In a fresh temporary directory, so that nothing in the working directory is overwritten. */
        static Path write(String serverName) {
            // Escaped by hand: the namespaces are Python regexes, which know no \Q...\E.
            String q = serverName.replaceAll("([.^$*+?()\\[\\]{}|\\\\])", "\\\\$1").replace("'", "''");
            String yaml = String.join("\n",
                    "# Generated by fake-homeserver: an example appservice registration.",
                    "id: example",
                    "url: http://127.0.0.1:9000",
                    "as_token: " + Registration.Builder.randomToken(),
                    "hs_token: " + Registration.Builder.randomToken(),
                    "sender_localpart: examplebot",
                    "rate_limited: false",
                    "namespaces:",
                    "  users:",
                    "    - exclusive: true",
                    "      regex: '@example_.*:" + q + "'",
                    "  aliases:",
                    "    - exclusive: true",
                    "      regex: '#example_.*:" + q + "'",
                    "  rooms: []",
                    "");
            try {
                Path dir = Files.createTempDirectory("fake-homeserver-");
                Path file = dir.resolve("registration.yaml");
                Files.writeString(file, yaml);
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** {@code --version}: the harness's Maven version, from the jar manifest when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = StandaloneMain.class.getPackage().getImplementationVersion();
            return new String[] {"fake-homeserver " + (v == null ? "(development build)" : v)};
        }
    }
}
