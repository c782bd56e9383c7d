package dev.fakehomeserver.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Figure 1: a fresh JVM from launch to the first 200 on {@code /versions}. The parent launches each child with
 * {@code java}, polls the port with short connect attempts, and kills the child once it has answered; the median
 * of several runs is reported. Servers are launched in turn (fake, undertow, jdk, wiremock, then the fake and
 * Undertow each with its class-data sharing archive, fake, ...), so a burst of load from other builds on the
 * machine hits them alike.
 *
 * <p>Figure 1b is the same start with an archive on both sides: the fake's made by its own {@code cds-archive}
 * command (what a user runs once), bare Undertow's by one training launch with {@code -XX:ArchiveClassesAtExit}.
 * Archives need every classpath entry to be a jar, so Undertow runs from this module's jar, not its classes.
 */
final class ColdStart {
    private ColdStart() {}

    static List<Figure> run(int runs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = jarsOnly(System.getProperty("java.class.path"));
        String standalone = System.getProperty("bench.standaloneJar");
        if (standalone == null || !new File(standalone).isFile()) {
            throw new IllegalStateException("-Dbench.standaloneJar must name harness/target/*-standalone.jar");
        }
        String wiremockJar = Arrays.stream(cp.split(File.pathSeparator))
                .filter(p -> new File(p).getName().startsWith("wiremock-standalone")).findFirst()
                .orElseThrow(() -> new IllegalStateException("wiremock-standalone is not on the classpath"));
        Path dir = Files.createTempDirectory("fakehs-bench-cold");
        Path reg = dir.resolve("registration.yaml");
        Files.writeString(reg, """
                id: bench
                url: http://127.0.0.1:9
                as_token: as_token_bench_0123456789abcdef0123456789abcdef
                hs_token: hs_token_bench_0123456789abcdef0123456789abcdef
                sender_localpart: benchbot
                namespaces:
                  users:
                    - exclusive: true
                      regex: '@bench_.*:test'
                """);
        // WireMock standalone answers 404 until it has a stub: give it the same /versions answer from a mapping.
        Path mappings = Files.createDirectories(dir.resolve("wiremock/mappings"));
        Files.writeString(mappings.resolve("versions.json"), """
                {"request": {"method": "GET", "url": "/_matrix/client/versions"},
                 "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                              "body": "{\\"versions\\":[\\"v1.11\\"]}"}}
                """);
        Path fakeArchive = dir.resolve("fake.jsa");
        Path undertowArchive = dir.resolve("undertow.jsa");
        writeArchives(java, standalone, cp, fakeArchive, undertowArchive);
        List<Launch> launches = List.of(
                new Launch("fake", port -> List.of(java, "-jar", standalone, "--port", port,
                        "--registration", reg.toString())),
                new Launch("undertow", port -> List.of(java, "-cp", cp, BareUndertow.class.getName(), port)),
                new Launch("jdk", port -> List.of(java, "-cp", cp, JdkHttpServerMain.class.getName(), port)),
                new Launch("wiremock", port -> List.of(java, "-jar", wiremockJar, "--port", port,
                        "--root-dir", dir.resolve("wiremock").toString(), "--disable-banner")),
                new Launch("fake with its archive", port -> List.of(java, "-XX:SharedArchiveFile=" + fakeArchive,
                        "-jar", standalone, "--port", port, "--registration", reg.toString())),
                new Launch("undertow with its archive", port -> List.of(java,
                        "-XX:SharedArchiveFile=" + undertowArchive, "-cp", cp, BareUndertow.class.getName(), port)));
        // One unmeasured round warms the page cache (jars, the JDK's modules file).
        for (int warm = Bench.firstRound; warm < 0; warm++) {
            for (Launch l : launches) {
                time(l);
            }
        }
        double[][] ms = new double[launches.size()][runs];
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < launches.size(); i++) {
                ms[i][r] = time(launches.get(i));
            }
        }
        double[] fake = seconds(ms[0]);
        double[] undertow = seconds(ms[1]);
        Figure jdk = new Figure("", "s", fake, seconds(ms[2]), "", null, List.of());
        Figure wiremock = new Figure("", "s", fake, seconds(ms[3]), "", null, List.of());
        double[] fakeCds = seconds(ms[4]);
        double[] undertowCds = seconds(ms[5]);
        Figure fakeCdsVsPlainUndertow = new Figure("", "s", fakeCds, undertow, "", null, List.of());
        return List.of(new Figure("1. cold start: fresh JVM to first 200", "s", fake, undertow, "bare Undertow",
                Figure.Target.ratioAtMost(1.3, "<= 1.3x bare Undertow"), List.of(
                        String.format("JDK HttpServer %.3f s (fake %s)", Stats.median(jdk.ceiling()),
                                jdk.ratioText()),
                        String.format("WireMock standalone %.3f s (fake %s)", Stats.median(wiremock.ceiling()),
                                wiremock.ratioText()))),
                new Figure("1b. cold start, each with its CDS archive", "s", fakeCds, undertowCds,
                        "bare Undertow with its archive", Figure.Target.ratioAtMost(1.3,
                                "<= 1.3x bare Undertow with its archive"), List.of(
                        String.format("fake with its archive vs bare Undertow without one: %s",
                                fakeCdsVsPlainUndertow.ratioText()),
                        "archives: java -jar <standalone> cds-archive FILE, and -XX:ArchiveClassesAtExit")));
    }

    /**
     * Makes both archives before the first launch: the fake's with its {@code cds-archive} command (its training
     * run), Undertow's with one launch answering {@code /versions} under {@code -XX:ArchiveClassesAtExit}; both
     * are written when the child exits on SIGTERM.
     */
    private static void writeArchives(String java, String standalone, String cp, Path fakeArchive,
                                      Path undertowArchive) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java, "-jar", standalone, "cds-archive", fakeArchive.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || !Files.isRegularFile(fakeArchive)) {
            throw new IllegalStateException("cds-archive failed: " + out);
        }
        time(new Launch("undertow training", port -> List.of(java, "-XX:ArchiveClassesAtExit=" + undertowArchive,
                "-cp", cp, BareUndertow.class.getName(), port)), true);
        if (!Files.isRegularFile(undertowArchive)) {
            throw new IllegalStateException("bare Undertow wrote no archive to " + undertowArchive);
        }
    }

    /**
     * The classpath with this module's classes directory replaced by its jar (built beside it by the same
     * {@code mvn package}): a CDS archive refuses a classpath with a non-empty directory.
     */
    static String jarsOnly(String classpath) throws IOException {
        List<String> out = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                try (var jars = Files.list(p.getParent())) {
                    out.add(jars.map(Path::toString).filter(n -> n.endsWith(".jar") && !n.endsWith("-sources.jar")
                                    && n.contains(File.separator + "fake-homeserver-benchmarks-"))
                            .findFirst().orElseThrow(() -> new IllegalStateException(
                                    "no fake-homeserver-benchmarks jar beside " + p + ": run benchmarks/run.sh")));
                }
            } else {
                out.add(entry);
            }
        }
        return String.join(File.pathSeparator, out);
    }

    private static double[] seconds(double[] millis) {
        return java.util.Arrays.stream(millis).map(m -> m / 1000).toArray();
    }

    private record Launch(String name, java.util.function.Function<String, List<String>> command) {}

    /** Milliseconds from launching the child to its first 200 on /versions; then it is killed. */
    private static double time(Launch l) throws IOException, InterruptedException {
        return time(l, false);
    }

    /** @param sigterm stop the child with SIGTERM, so that it exits normally (and writes its archive) */
    private static double time(Launch l, boolean sigterm) throws IOException, InterruptedException {
        int port = Http.freePort();
        List<String> cmd = new ArrayList<>(l.command().apply(Integer.toString(port)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process p = pb.start();
        try {
            long deadline = start + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                if (Http.get(port, Http.VERSIONS, 200) == 200) {
                    return (System.nanoTime() - start) / 1e6;
                }
                if (!p.isAlive()) {
                    throw new IllegalStateException(l.name() + " exited with " + p.exitValue() + ": " + cmd);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(l.name() + " did not answer within 30 s: " + cmd);
                }
                // Not a busy spin: on 2 cores the poller would take CPU from the child it times.
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        } finally {
            if (sigterm) {
                p.destroy();
            } else {
                p.destroyForcibly();
            }
            p.waitFor();
        }
    }
}
