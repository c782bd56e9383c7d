package dev.fakehomeserver.junit5;

import dev.fakehomeserver.coverage.Coverage;
import dev.fakehomeserver.coverage.CoverageReport;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the report so that Surefire's forks add up instead of overwriting each other. Each JVM keeps what its
 * tests covered in {@code forks/<run>/<pid>.txt} and then, holding a file lock, writes {@code coverage.md} and
 * {@code coverage.html} from every file of its run: the fork that finishes last writes the whole suite.
 *
 * <p>The run is the timestamp Surefire puts in each fork's command line ({@code 2026-12-02T20-41-00_123-jvmRun2}:
 * the same for every fork of one {@code mvn} invocation), so the files of an earlier run are deleted rather than
 * added in. Outside Surefire the run is the JVM itself. A failure to write is printed, never thrown: the report
 * must not fail a green suite.
 */
final class CoverageFiles {
    private static final Pattern SUREFIRE_RUN = Pattern.compile("(\\S+)-jvmRun\\d+");
    /** Two launcher sessions of one JVM: a file lock is per JVM, so they take turns here first. */
    private static final Object IN_THIS_JVM = new Object();

    private CoverageFiles() {}

    static void write(Path dir, Map<String, Coverage> mine) {
        try {
            synchronized (IN_THIS_JVM) {
                Files.createDirectories(dir);
                try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
                    Map<String, Coverage> all = merge(dir, run(), mine);
                    replace(dir.resolve("coverage.md"), CoverageReport.markdown(all));
                    replace(dir.resolve("coverage.html"), CoverageReport.html(all));
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("fake-homeserver: could not write the coverage report to " + dir.toAbsolutePath()
                    + ": " + e);
        }
    }

    /** Saves this JVM's part, drops other runs' parts, and reads every part of this run, in file name order. */
    private static Map<String, Coverage> merge(Path dir, String run, Map<String, Coverage> mine) throws IOException {
        Path forks = dir.resolve("forks");
        Path runDir = forks.resolve(run);
        Files.createDirectories(runDir);
        try (Stream<Path> runs = Files.list(forks)) {
            for (Path other : runs.filter(p -> !p.equals(runDir)).toList()) {
                deleteTree(other);
            }
        }
        StringBuilder part = new StringBuilder();
        mine.forEach((test, c) -> part.append(test.replace('\t', ' ').replace('\n', ' ')).append('\t')
                .append(CoverageEntry.encode(c)).append('\n'));
        replace(runDir.resolve(ProcessHandle.current().pid() + ".txt"), part.toString());
        Map<String, Coverage> all = new LinkedHashMap<>();
        List<Path> parts;
        try (Stream<Path> files = Files.list(runDir)) {
            parts = new ArrayList<>(files.filter(p -> p.toString().endsWith(".txt")).sorted(Comparator.naturalOrder()).toList());
        }
        for (Path p : parts) {
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab >= 0) {
                    all.merge(line.substring(0, tab), CoverageEntry.decode(line.substring(tab + 1)), Coverage::plus);
                }
            }
        }
        return all;
    }

    /** This JVM's run: Surefire's timestamp shared by its forks, else this process. */
    static String run() {
        Matcher m = SUREFIRE_RUN.matcher(System.getProperty("sun.java.command", ""));
        return m.find() ? "surefire-" + m.group(1).replaceAll("[^A-Za-z0-9_.-]", "_")
                : "pid-" + ProcessHandle.current().pid();
    }

    private static void replace(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> all = Files.walk(p)) {
            for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
