package dev.fakehomeserver.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every figure and prints one line each (figure, ceiling, ratio, target) and a summary; {@code --quick}
 * runs each briefly (CI keeps the benchmarks building and running; it asserts nothing about timings). Started by
 * {@code benchmarks/run.sh}, which also passes {@code -Dbench.standaloneJar}. With {@code --markdown FILE} it also
 * writes the table for the README; {@code --only "cold start"} runs one step.
 *
 * <p>Footprint figures run first, in a JVM nothing else has run in yet; the JMH figures run in forked JVMs.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int md = List.of(args).indexOf("--markdown");
        Path markdown = md >= 0 ? Path.of(args[md + 1]) : null;
        int o = List.of(args).indexOf("--only");
        only = o >= 0 ? args[o + 1] : null;
        List<Figure> figures = new ArrayList<>();
        long start = System.nanoTime();

        step(figures, "servers per JVM", () -> Footprint.serversPerJvm(quick ? 20 : 200));
        step(figures, "heap per event", () -> List.of(Footprint.heapPerEvent(quick ? 10_000 : 200_000)));
        step(figures, "cold start", () -> ColdStart.run(quick ? 1 : 7));
        step(figures, "warm start", () -> warmStart(quick));
        step(figures, "reset", () -> List.of(reset(quick)));
        step(figures, "push throughput", () -> List.of(Push.throughput(quick ? 5_000 : 100_000)));
        step(figures, "push latency", () -> Push.latency(quick ? 200 : 5_000));
        step(figures, "client API", () -> List.of(ClientApi.run(4, quick ? 0.5 : 3, quick ? 1 : 8)));
        step(figures, "scaling", () -> Scaling.run(
                quick ? new int[] {100, 1_000, 10_000} : new int[] {100, 10_000, 1_000_000},
                new int[] {1, 10, 100}, quick ? 1_000 : 20_000));

        figures.sort(java.util.Comparator.comparing(Figure::name));
        System.out.println();
        System.out.println("==== fake-homeserver benchmarks" + (quick ? " (--quick: too short to quote)" : ""));
        figures.forEach(f -> System.out.println(f.line()));
        long met = figures.stream().filter(Figure::met).count();
        List<String> missed = figures.stream().filter(f -> !f.met()).map(Figure::name).toList();
        System.out.printf("summary: %d of %d targets met%s; ran in %.0f s%n", met, figures.size(),
                missed.isEmpty() ? "" : "; missed: " + String.join(", ", missed),
                (System.nanoTime() - start) / 1e9);
        if (markdown != null) {
            writeMarkdown(markdown, figures);
        }
        // Shared pools (the fake's push client, WireMock's) are daemon threads; nothing else keeps the JVM up.
        System.exit(0);
    }

    /** With {@code --only NAME} (such as {@code "cold start"}), the one step of that name. */
    private static String only;

    private interface Step {
        List<Figure> run() throws Exception;
    }

    private static void step(List<Figure> figures, String name, Step step) throws Exception {
        if (only != null && !only.equals(name)) {
            return;
        }
        long t0 = System.nanoTime();
        System.out.println("-- " + name + " ...");
        List<Figure> got = step.run();
        got.forEach(f -> System.out.println(f.line()));
        System.out.printf("-- %s took %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
        figures.addAll(got);
    }

    private static ChainedOptionsBuilder jmh(String benchmark, boolean quick) {
        return new OptionsBuilder()
                .include(benchmark)
                .forks(1)
                .jvmArgsAppend("-Xmx2g")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
    }

    private static List<Figure> warmStart(boolean quick) throws Exception {
        var opts = jmh(WarmStartBenchmark.class.getName(), quick)
                .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.milliseconds(quick ? 500 : 1000))
                .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.milliseconds(quick ? 500 : 1000))
                .build();
        Map<String, Double> ms = new Runner(opts).run().stream().collect(Collectors.toMap(
                r -> r.getParams().getBenchmark().replaceAll(".*\\.", ""),
                r -> r.getPrimaryResult().getScore()));
        double fake = ms.get("fake");
        double undertow = ms.get("undertow");
        double wiremock = ms.get("wiremock");
        return List.of(new Figure("2. warm start: build, start, first 200, close", fake, "ms", undertow,
                "bare Undertow", "<= 1.3x bare Undertow", fake / undertow <= 1.3,
                List.of(String.format("WireMockServer %.2f ms (fake %.2fx)", wiremock, fake / wiremock),
                        "JMH average")));
    }

    private static Figure reset(boolean quick) throws Exception {
        var opts = jmh(ResetBenchmark.class.getName(), quick)
                .warmupIterations(quick ? 2 : 10).measurementIterations(quick ? 3 : 30)
                .timeUnit(TimeUnit.MICROSECONDS)
                .build();
        RunResult r = new Runner(opts).runSingle();
        double micros = r.getPrimaryResult().getStatistics().getPercentile(50);
        double max = r.getPrimaryResult().getStatistics().getMax();
        return new Figure("3. reset with 10,000 events", micros / 1000, "ms", Double.NaN, "", "<= 1 ms",
                micros <= 1000, List.of(String.format("median of %d single shots; max %.3f ms",
                        r.getPrimaryResult().getStatistics().getN(), max / 1000)));
    }

    private static void writeMarkdown(Path file, List<Figure> figures) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("| figure | fake | ceiling | ratio | target | result and notes |");
        lines.add("| --- | --- | --- | --- | --- | --- |");
        figures.forEach(f -> lines.add(f.markdownRow()));
        Files.write(file, lines);
    }
}
