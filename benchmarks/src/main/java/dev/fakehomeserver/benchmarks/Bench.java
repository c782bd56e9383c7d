package dev.fakehomeserver.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs every figure and prints one line each (the fake's median with its spread, the ceiling, the median ratio
 * with its min-max spread, the target and the verdict) and a summary; {@code --quick} runs each briefly (CI keeps
 * the benchmarks building and running; it asserts nothing about timings). Started by {@code benchmarks/run.sh},
 * which also passes {@code -Dbench.standaloneJar}. With {@code --markdown FILE} it also writes the table for the
 * README; {@code --only "cold start"} runs one step ({@code --only "scenario,suite"} two); {@code --rounds N}
 * sets the number of rounds (A/B comparisons of two builds use it with {@code --quick}).
 *
 * <p>Every figure comes from {@value #ROUNDS} rounds (2 with {@code --quick}), after one unmeasured warm-up
 * round (none with {@code --quick}), in which the fake and its ceiling are measured in turn ({@link Figure}); a figure whose spread is wider than its distance to the target says
 * "noisy" instead of met or missed. Footprint figures run first, in a JVM nothing else has run in yet.
 */
public final class Bench {
    static final int ROUNDS = 5;
    /** The first round's number: -1, an unmeasured warm-up round before rounds 0.., or 0 with --quick. */
    static int firstRound = -1;

    private Bench() {}

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int md = List.of(args).indexOf("--markdown");
        Path markdown = md >= 0 ? Path.of(args[md + 1]) : null;
        int o = List.of(args).indexOf("--only");
        only = o >= 0 ? args[o + 1] : null;
        int r = List.of(args).indexOf("--rounds");
        int rounds = r >= 0 ? Integer.parseInt(args[r + 1]) : quick ? 2 : ROUNDS;
        firstRound = quick ? 0 : -1;
        List<Figure> figures = new ArrayList<>();
        long start = System.nanoTime();
        String loadAtStart = load();
        System.out.println("load average at the start: " + loadAtStart);

        step(figures, "servers per JVM", () -> Footprint.serversPerJvm(rounds, quick ? 20 : 200));
        step(figures, "heap per event", () -> List.of(Footprint.heapPerEvent(rounds, quick ? 10_000 : 200_000)));
        step(figures, "cold start", () -> ColdStart.run(quick ? 1 : 7));
        step(figures, "warm start", () -> WarmStart.run(rounds, quick ? 20 : 100));
        step(figures, "reset", () -> List.of(Reset.run(rounds, quick ? 3 : 10)));
        step(figures, "push throughput", () -> List.of(Push.throughput(rounds, quick ? 5_000 : 50_000)));
        step(figures, "push latency", () -> Push.latency(rounds, quick ? 200 : 1_000));
        step(figures, "client API", () -> ClientApi.run(4, rounds, quick ? 0.5 : 3, quick ? 0.5 : 1.5));
        step(figures, "scenario", () -> Scenario.run(rounds, quick ? 100 : 1_000));
        step(figures, "suite", () -> List.of(Suite.run(quick ? 1 : rounds)));
        step(figures, "held sync", () -> HeldSync.run(rounds, quick ? 50 : 300, quick ? 100 : 1_000));
        step(figures, "scaling", () -> Scaling.run(rounds,
                quick ? new int[] {100, 1_000, 10_000} : new int[] {100, 10_000, 1_000_000},
                new int[] {1, 10, 100}, quick ? 1_000 : 20_000));

        if (only != null && only.equals("cost")) {
            CpuCost.run(quick ? 1_000 : 4_000);
        }
        figures.sort(Comparator.comparing(Figure::name, Bench::byNumber));
        String loadAtEnd = load();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println();
        System.out.println("==== fake-homeserver benchmarks" + (quick ? " (--quick: too short to quote)" : ""));
        figures.forEach(f -> System.out.println(f.line()));
        System.out.println(summary(figures));
        System.out.printf("load average: %s at the start, %s at the end; ran in %.0f s%n", loadAtStart, loadAtEnd,
                seconds);
        if (markdown != null) {
            writeMarkdown(markdown, figures, loadAtStart, loadAtEnd, seconds);
        }
        // Shared pools (the fake's push client, WireMock's) are daemon threads; nothing else keeps the JVM up.
        System.exit(0);
    }

    /** Which targets were met, missed, or within noise of their target (no verdict). */
    static String summary(List<Figure> figures) {
        List<String> met = names(figures, Figure.Verdict.MET);
        List<String> missed = names(figures, Figure.Verdict.MISSED);
        List<String> noisy = names(figures, Figure.Verdict.NOISY);
        long judged = figures.stream().filter(f -> f.target() != null).count();
        return String.format("summary: %d of %d targets met, %d missed%s, %d within noise of their target%s",
                met.size(), judged, missed.size(), missed.isEmpty() ? "" : " (" + String.join("; ", missed) + ")",
                noisy.size(), noisy.isEmpty() ? "" : " (" + String.join("; ", noisy) + ")");
    }

    private static List<String> names(List<Figure> figures, Figure.Verdict v) {
        return figures.stream().filter(f -> f.verdict() == v).map(f -> f.name().replaceAll("\\. .*", "")).toList();
    }

    /** "9a. ..." before "10. ...": by the figure's number, then by name. */
    private static int byNumber(String a, String b) {
        int c = Integer.compare(number(a), number(b));
        return c != 0 ? c : a.compareTo(b);
    }

    private static int number(String name) {
        int i = 0;
        while (i < name.length() && Character.isDigit(name.charAt(i))) {
            i++;
        }
        return i == 0 ? Integer.MAX_VALUE : Integer.parseInt(name.substring(0, i));
    }

    /** The one-minute load average and the core count: {@code 3.21 on 2 cores}. */
    static String load() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return String.format("%.2f on %d cores", os.getSystemLoadAverage(), os.getAvailableProcessors());
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** With {@code --only NAMES} (such as {@code "cold start"} or {@code "scenario,suite"}), those steps alone. */
    private static String only;

    private interface Step {
        List<Figure> run() throws Exception;
    }

    private static void step(List<Figure> figures, String name, Step step) throws Exception {
        if (only != null && !List.of(only.split(",")).contains(name)) {
            return;
        }
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        System.out.println("-- " + name + " ... (load " + load() + ")");
        List<Figure> got = step.run();
        got.forEach(f -> System.out.println(f.line()));
        // CPU time barely depends on the machine's load: A/B runs on a busy machine compare it for the same work.
        System.out.printf("-- %s took %.1f s, %.1f s of this JVM's CPU%n", name, (System.nanoTime() - t0) / 1e9,
                (processCpuNanos() - cpu0) / 1e9);
        figures.addAll(got);
    }

    private static void writeMarkdown(Path file, List<Figure> figures, String loadAtStart, String loadAtEnd,
                                      double seconds) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("Load average %s at the start, %s at the end; ran in %.0f s.", loadAtStart,
                loadAtEnd, seconds));
        lines.add("");
        lines.add("| figure | fake (min-max) | ceiling | ratio (min-max) | target | result and notes |");
        lines.add("| --- | --- | --- | --- | --- | --- |");
        figures.forEach(f -> lines.add(f.markdownRow()));
        lines.add("");
        lines.add(summary(figures));
        Files.write(file, lines);
    }
}
