package dev.fakehomeserver.internal.cli;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.HomeserverBuilder;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.RegistrationException;
import dev.fakehomeserver.coverage.CoverageReport;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.control.CoverageControl;
import dev.fakehomeserver.platform.Plan;
import dev.fakehomeserver.internal.base.LogText;
import dev.fakehomeserver.internal.base.Version;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone fake homeserver: {@code java -jar fake-homeserver-<version>-standalone.jar [options]}.
 *
 * <p>{@link #run} does the work and returns the exit code, so tests call it in process: 0 after a clean
 * shutdown, 2 for a bad flag or a bad registration (one line on stderr), 1 when the server cannot start (the port
 * is taken). Every flag has an environment variable: {@code --server-name} is {@code FAKEHS_SERVER_NAME}; flags
 * win over the environment.
 */
public final class StandaloneMain {
    int port;
    String bind;
    String serverName;
    List<Path> registrations = new ArrayList<>();
    Map<String, String> asUrls = new LinkedHashMap<>();
    boolean noExclusiveUserRule;
    boolean noNamespaceConflictCheck;
    boolean closedRegistration;
    String controlToken;
    boolean noControlToken;
    boolean verbose;
    final List<Path> scenes = new ArrayList<>();
    Path stateFile;
    /** {@code --coverage}: where the coverage report goes on exit, or null. */
    Path coverageFile;
    long maxMediaBytes;
    Long seed;
    /** {@code --tls}: the HTTPS listener's port, or null for none. */
    Integer tlsPort;
    /** {@code --public-url}, or null. */
    String publicUrl;
    /** {@code --platform}: the hosting platform's plan, or null for its rules off. */
    Plan platform;

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
     * (now a hand parser, see Flags), then the registration (SnakeYAML), the server (Undertow), and on the first request Jackson's
     * databind. A daemon thread loads them meanwhile, on the machine's other core, in the reverse of the order the
     * main thread needs them (the platform MBean server and XNIO, then Jackson, then SnakeYAML): the main thread
     * then finds them loaded (or waits for the class being loaded, never loading it twice). Nothing it does is
     * visible; a failure here only means the main thread loads them itself.
     */
    private static void preload() {
        Thread t = new Thread(() -> {
            try {
                // First what the main thread needs last: XNIO registers each worker with the platform MBean
                // server, whose start (the JVM's own MXBeans, some 50 ms cold) would otherwise come on the
                // main thread just before the port opens; then the server's IO layer (no worker is started).
                java.lang.management.ManagementFactory.getPlatformMBeanServer();
                org.xnio.Xnio.getInstance(io.undertow.Undertow.class.getClassLoader());
                io.undertow.Undertow.builder();
                dev.fakehomeserver.internal.base.Json.parse(
                        dev.fakehomeserver.internal.base.Json.bytes(
                                dev.fakehomeserver.internal.base.Json.object().put("a", "b")));
                new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
                        new org.yaml.snakeyaml.LoaderOptions())).load("a: [1, 'b']");
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
        if (args.length > 0 && args[0].equals("conformance")) {
            return dev.fakehomeserver.internal.conformance.ConformanceCommand.run(
                    java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("cds-archive")) {
            return CdsArchiveCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        StandaloneMain opts = new StandaloneMain();
        try {
            Flags flags = Flags.parse(args, env);
            if (flags.on("--help")) {
                out.print(Flags.help());
                return 0;
            }
            if (flags.on("--version")) {
                out.println(version());
                return 0;
            }
            opts.port = flags.intValue("--port");
            opts.bind = flags.value("--bind");
            opts.serverName = flags.value("--server-name");
            flags.all("--registration").forEach(f -> opts.registrations.add(Path.of(f)));
            for (String pair : flags.all("--as-url")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new Flags.BadFlag("Value for option '--as-url' should be in ID=URL format but was " + pair);
                }
                opts.asUrls.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            opts.noExclusiveUserRule = flags.on("--no-exclusive-user-rule");
            opts.noNamespaceConflictCheck = flags.on("--no-namespace-conflict-check");
            opts.closedRegistration = flags.on("--closed-registration");
            opts.controlToken = flags.value("--control-token");
            opts.noControlToken = flags.on("--no-control-token");
            opts.verbose = flags.on("--verbose");
            flags.all("--scene").forEach(f -> opts.scenes.add(Path.of(f)));
            String stateFile = flags.value("--state-file");
            opts.stateFile = stateFile == null ? null : Path.of(stateFile);
            String coverage = flags.value("--coverage");
            opts.coverageFile = coverage == null ? null : Path.of(coverage);
            opts.maxMediaBytes = flags.longValue("--max-media-bytes");
            opts.seed = flags.value("--seed") == null ? null : flags.longValue("--seed");
            if (flags.on("--tls")) {
                opts.tlsPort = flags.intValue("--tls-port");
            }
            opts.publicUrl = flags.value("--public-url");
            if (opts.publicUrl != null) {
                try {
                    Homeserver.builder().publicBaseUrl(opts.publicUrl);
                } catch (IllegalArgumentException e) {
                    throw new Flags.BadFlag("Invalid value for option '--public-url': " + e.getMessage());
                }
            }
            String plan = flags.value("--platform");
            if (plan != null) {
                try {
                    opts.platform = Plan.parse(plan);
                } catch (IllegalArgumentException e) {
                    throw new Flags.BadFlag("Invalid value for option '--platform': " + e.getMessage());
                }
            }
        } catch (Flags.BadFlag e) {
            err.println("fake-homeserver: " + oneLine(e.getMessage()) + " (see --help)");
            return 2;
        } catch (java.nio.file.InvalidPathException e) {
            err.println("fake-homeserver: not a file path: " + oneLine(e.getMessage()) + " (see --help)");
            return 2;
        }
        return opts.start(out, err, started);
    }

    private int start(PrintStream out, PrintStream err, java.util.function.Consumer<Homeserver> started) {
        if (port < 0 || port > 65535) {
            err.println("fake-homeserver: --port must be between 0 and 65535, got " + port);
            return 2;
        }
        if (tlsPort != null && (tlsPort < 0 || tlsPort > 65535)) {
            err.println("fake-homeserver: --tls-port must be between 0 and 65535, got " + tlsPort);
            return 2;
        }
        if (maxMediaBytes < 0) {
            err.println("fake-homeserver: --max-media-bytes must not be negative, got " + maxMediaBytes);
            return 2;
        }
        if (controlToken != null && noControlToken) {
            err.println("fake-homeserver: --control-token and --no-control-token contradict each other");
            return 2;
        }
        if (stateFile != null && !scenes.isEmpty()) {
            // The saved state holds the scene's rooms too: loading both would refuse them as already there.
            err.println("fake-homeserver: give --scene (a fixture, loaded at start and after every reset) or"
                    + " --state-file (one session kept across restarts), not both; to start a state file from a"
                    + " scene, copy the scene to the state file");
            return 2;
        }
        HomeserverBuilder b = Homeserver.builder().port(port).bindAddress(bind).serverName(serverName)
                .openRegistration(!closedRegistration)
                .requireExclusiveUserNamespace(!noExclusiveUserRule)
                .checkNamespaceConflicts(!noNamespaceConflictCheck)
                .maxMediaBytes(maxMediaBytes);
        if (seed != null) {
            b.randomSeed(seed);
        }
        if (publicUrl != null) {
            b.publicBaseUrl(publicUrl);
        }
        SelfSignedCertificate cert = null;
        if (tlsPort != null) {
            cert = SelfSignedCertificate.create(List.of(bind, serverName));
            b.https(tlsPort, cert.context());
        }
        if (platform != null) {
            b.hostedPlatform(platform);
        }
        Path generated = null;
        List<Registration> regs = new ArrayList<>();
        try {
            // On a plan that allows no custom appservice, the example would only be refused.
            if (registrations.isEmpty() && (platform == null || platform.customAppservices() > 0)) {
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
                err.println("fake-homeserver: --as-url " + LogText.escape(e.getKey()) + "=...: no registration has id '"
                        + LogText.escape(e.getKey()) + "' (loaded: "
                        + LogText.escape(regs.stream().map(Registration::id).toList().toString()) + ")");
                ExampleRegistration.delete(generated);
                return 2;
            }
            regs.set(i, regs.get(i).withUrl(e.getValue()));
        }
        regs.forEach(b::registration);
        for (Path scene : scenes) {
            try {
                b.seed(scene);   // applied at start and again after every reset, as in-process seeds are
            } catch (IllegalArgumentException | UncheckedIOException e) {
                err.println("fake-homeserver: bad scene: " + oneLine(e.getMessage()));
                ExampleRegistration.delete(generated);
                return 2;
            }
        }
        String token = noControlToken ? null : controlToken != null ? controlToken : Registration.Builder.randomToken();
        b.controlApi(token);
        if (verbose) {
            b.requestLog(line -> out.println("fake-homeserver: " + line));
            // One line per request to an appservice too; its toString has the path only, never the hs_token.
            b.transactionLog(t -> out.println("fake-homeserver: to appservice " + LogText.escape(t.toString())));
        }
        Homeserver hs;
        try {
            hs = b.start();
        } catch (RegistrationException e) {
            // The set refused (a repeated id, a namespace conflict, the platform's plan limit): a bad registration.
            ExampleRegistration.delete(generated);
            err.println("fake-homeserver: bad registration: " + oneLine(e.getMessage()));
            return 2;
        } catch (IllegalArgumentException e) {
            ExampleRegistration.delete(generated);
            if (scenes.stream().anyMatch(f -> String.valueOf(e.getMessage()).startsWith(f.toString()))) {
                // The scene parsed but its events were refused: the message names the file and the line.
                err.println("fake-homeserver: bad scene: " + oneLine(e.getMessage()));
                return 2;
            }
            err.println("fake-homeserver: cannot start on " + listening() + ": " + oneLine(e.getMessage()));
            return 1;
        } catch (RuntimeException e) {
            ExampleRegistration.delete(generated);
            err.println("fake-homeserver: cannot start on " + listening() + ": " + oneLine(String.valueOf(
                    e.getCause() != null ? e.getCause().getMessage() : e.getMessage())));
            return 1;
        }
        if (stateFile != null && Files.exists(stateFile)) {
            try {
                hs.seed(stateFile);   // once: a reset goes back to the --scene files, not to the last session
            } catch (IllegalArgumentException | UncheckedIOException e) {
                hs.close();
                ExampleRegistration.delete(generated);
                err.println("fake-homeserver: bad state file (move it away to start empty): " + oneLine(e.getMessage()));
                return 2;
            }
        }
        if (started != null) {
            printBanner(out, hs, regs, generated, token, cert);
            started.accept(hs);
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Path example = generated;
        // Registered before the banner: whoever waits for "listening on" may send SIGTERM at once.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("fake-homeserver: stopping");
            saveState(hs, out);
            saveCoverage(hs, out);
            hs.close();
            ExampleRegistration.delete(example);
            stopped.countDown();
        }, "fake-homeserver-shutdown"));
        printBanner(out, hs, regs, generated, token, cert);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private String listening() {
        return bind + ":" + port + (tlsPort == null ? "" : " (TLS " + bind + ":" + tlsPort + ")");
    }

    /** {@code --state-file}: the scene as it is now, written whole or not at all (the old file stays). */
    private void saveState(Homeserver hs, PrintStream out) {
        if (stateFile == null) {
            return;
        }
        try {
            hs.exportScene(stateFile);
            out.println("fake-homeserver: saved the scene (" + hs.rooms().size() + " rooms, " + hs.users().size()
                    + " users) to " + stateFile);
        } catch (RuntimeException e) {
            out.println("fake-homeserver: could not save the scene to " + stateFile + ": " + oneLine(e.getMessage()));
        }
    }

    /** {@code --coverage}: the report as it is now, Markdown or (for a {@code .json} name) the control API's JSON. */
    void saveCoverage(Homeserver hs, PrintStream out) {
        if (coverageFile == null) {
            return;
        }
        try {
            String text = coverageFile.toString().endsWith(".json")
                    ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(CoverageControl.toJson(hs.coverage()))
                    : CoverageReport.markdown(hs.coverage());
            Files.writeString(coverageFile, text, StandardCharsets.UTF_8);
            out.println("fake-homeserver: wrote the coverage report to " + coverageFile);
        } catch (java.io.IOException | RuntimeException e) {
            out.println("fake-homeserver: could not write the coverage report to " + coverageFile + ": "
                    + oneLine(String.valueOf(e.getMessage())));
        }
    }

    /** The line naming the url comes last, so a script that waits for it knows everything above is done. */
    private void printBanner(PrintStream out, Homeserver hs, List<Registration> regs, Path generated,
                                    String token, SelfSignedCertificate cert) {
        out.println("fake-homeserver: server name " + hs.serverName());
        hs.hostedPlatform().ifPresent(plan -> out.println("  hosting platform on, plan " + plan.displayName() + " ("
                + plan.limitInWords() + "); managed bridges " + String.join(", ", hs.registrations().stream()
                        .map(Registration::id).filter(id -> regs.stream().noneMatch(r -> r.id().equals(id))).toList())
                + "; docs/platform.md"));
        for (Registration r : regs) {
            // Escaped: a registration is someone else's text, and a url with CR LF must not forge a line.
            out.println("  appservice " + LogText.escape(r.id()) + " from " + LogText.escape(r.source())
                    + ", pushing to " + (r.url() == null ? "nothing (url: null)" : LogText.escape(r.url())));
        }
        // The registrations' lint, as GET /_fakehs/v1/lint has it; not the generated example's, which is ours.
        if (generated == null) {
            hs.lint().forEach(f -> out.println("  warning: " + LogText.escape("appservice " + f)));
        }
        if (generated != null) {
            out.println("  no --registration given: generated an example registration at " + generated);
            out.println("  point your appservice at homeserver url " + hs.url() + " with that file's as_token,");
            out.println("  and listen on its url (or start with --as-url example=http://127.0.0.1:PORT)");
        } else {
            out.println("  point your appservice at homeserver url " + hs.url()
                    + "; change a push url with --as-url ID=URL");
        }
        for (Path scene : scenes) {
            out.println("  scene " + scene + " loaded; loaded again after every reset");
        }
        if (stateFile != null) {
            out.println("  state file " + stateFile + ": " + (hs.rooms().isEmpty() && hs.users().isEmpty()
                    ? "nothing loaded" : hs.rooms().size() + " rooms loaded") + "; the scene is saved there on exit");
        }
        out.println("  seed " + hs.randomSeed() + (seed != null ? " (fixed: tokens follow it)"
                : " (random; replay a run with --seed " + hs.randomSeed() + ")"));
        out.println(token == null ? "  control API: " + hs.url() + "/_fakehs/v1/ (no token)"
                : "  control API: " + hs.url() + "/_fakehs/v1/ with 'Authorization: Bearer " + token + "'");
        if (cert != null) {
            out.println("  TLS: " + hs.httpsUrl().orElseThrow() + " serves the same API with a self-signed certificate"
                    + " made at start, SHA-256 fingerprint " + cert.sha256Fingerprint());
        }
        if (publicUrl != null) {
            out.println("  public url " + publicUrl + ": /login's well_known and"
                    + " /.well-known/matrix/client name it");
        }
        out.println("  console: " + hs.consoleUrl() + " (one login; then log in with the control token)");
        for (String line : exposureWarning(java.net.URI.create(hs.url()).getHost(), token == null)) {
            out.println(line);
        }
        out.println("fake-homeserver listening on " + hs.url() + " (Ctrl-C stops it)");
    }

    /**
     * The banner's warning when {@code --bind} is not a loopback address: other machines reach the fake, and its
     * control API answers them by any name. Louder with {@code --no-control-token}: then anyone who reaches the
     * port drives the server (the Host check still stops pages of other sites that rebind a name to it).
     */
    static List<String> exposureWarning(String boundHost, boolean noToken) {
        boolean loopback;
        try {
            String h = boundHost.startsWith("[") ? boundHost.substring(1, boundHost.length() - 1) : boundHost;
            loopback = java.net.InetAddress.getByName(h).isLoopbackAddress();
        } catch (java.io.IOException e) {
            loopback = false;
        }
        if (loopback) {
            return List.of();
        }
        if (!noToken) {
            return List.of("  WARNING: bound to " + boundHost + ", not loopback: other machines can reach this fake"
                    + " and its control API (guarded by the control token above)");
        }
        return List.of(
                "  !!! WARNING: bound to " + boundHost + ", not loopback, with --no-control-token: ANYONE who can",
                "  !!! reach this port can drive the control API (create users, send as anyone, reset, read the",
                "  !!! journal). Bind 127.0.0.1, or drop --no-control-token, unless this network is yours alone.");
    }

    private static int indexOf(List<Registration> regs, String id) {
        for (int i = 0; i < regs.size(); i++) {
            if (regs.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** A message on one line, with what it quotes from a file or a flag escaped. */
    private static String oneLine(String s) {
        return s == null ? "" : LogText.escape(s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim());
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

        /**
         * Removes a file {@link #write} made and its directory (on exit, from the shutdown hook, and when the
         * server does not start), so runs leave nothing in the temporary directory. Null: nothing was generated.
         */
        static void delete(Path generated) {
            if (generated == null) {
                return;
            }
            try {
                Files.deleteIfExists(generated);
                Files.deleteIfExists(generated.getParent());
            } catch (IOException e) {
                // Best effort on the way out; the directory is the system's temporary one.
            }
        }
    }

    /** {@code --version}: the harness's Maven version, from the resource Maven filters ({@link Version}). */
    static String version() {
        return "fake-homeserver " + Version.current();
    }
}
