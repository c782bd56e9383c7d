package dev.fakehomeserver.standalone;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The standalone jar run as a separate process ({@code java -jar}), its output collected line by line. */
final class StandaloneProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private StandaloneProcess(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended: nothing more to read
            }
        }, "standalone-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The jar failsafe built; its path comes from the pom ({@code standalone.jar}). */
    static Path jar() {
        String p = System.getProperty("standalone.jar");
        if (p == null || !Files.isRegularFile(Path.of(p))) {
            throw new IllegalStateException("standalone.jar not built (" + p + "): run through 'mvn verify'");
        }
        return Path.of(p);
    }

    static StandaloneProcess start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return new StandaloneProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** Waits for the banner line and answers the url it names. */
    String awaitUrl() {
        await().atMost(Duration.ofSeconds(30)).until(() -> url() != null || !process.isAlive());
        String url = url();
        if (url == null) {
            throw new IllegalStateException("the standalone jar did not start: " + output());
        }
        return url;
    }

    private String url() {
        for (String l : lines) {
            Matcher m = LISTENING.matcher(l);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the standalone jar did not exit: " + output());
        }
        reader.join(TimeUnit.SECONDS.toMillis(30)); // its last lines may still be in the pipe
        return process.exitValue();
    }

    /** SIGTERM, as a supervisor or Ctrl-C would stop it. */
    int stop() throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of its output before we read it all.
        process.toHandle().destroy();
        return awaitExit();
    }

    String output() {
        return String.join("\n", lines);
    }

    List<String> lines() {
        return lines;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
