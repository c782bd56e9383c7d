package dev.fakehomeserver.internal.cli;

import com.sun.net.httpserver.HttpServer;
import dev.fakehomeserver.internal.base.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar fake-homeserver-standalone.jar cds-archive FILE}: writes a class-data sharing archive of the
 * classes the standalone fake loads, for this jar and this JVM, so that
 * {@code java -XX:SharedArchiveFile=FILE -jar fake-homeserver-standalone.jar ...} starts in about half the time.
 *
 * <p>Why a command: a cold start is mostly class loading (some 3,400 classes: Undertow, Jackson, SnakeYAML, the
 * routes), which an archive maps from one file instead of reading and verifying class by class (benchmark figure
 * 1). A jar cannot set JVM flags and JDK 17 has no {@code -XX:+AutoCreateSharedArchive}, so the archive is made by
 * a training run: a child JVM started with {@code -XX:ArchiveClassesAtExit} runs the fake with a registration of
 * ours, this command drives a short scenario through real sockets (the client API as the appservice and as its
 * ghost, the control API, one push to an appservice we listen as, a sync), then stops it with SIGTERM, and the
 * child writes the archive on exit. The archive is written under a temporary name and moved into place, so an
 * old one stays when training fails. The JVM checks the archive against the jar's path, size and time and its
 * own build at every start, and without a match it starts as if the flag were not given: a stale archive costs
 * only the speed-up.
 */
final class CdsArchiveCommand {
    static final String HELP = """
            Usage: fake-homeserver cds-archive FILE
            Writes a class-data sharing archive for this jar and this java, for a faster start:
              java -jar fake-homeserver-standalone.jar cds-archive fake-homeserver.jsa
              java -XX:SharedArchiveFile=fake-homeserver.jsa -jar fake-homeserver-standalone.jar [OPTIONS]
            Make it again after changing the jar or the JDK (the JVM ignores an archive that does not match).
            Exit code: 0 when written, 1 when the training run failed, 2 on a bad command line.
            """;
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final String AS_TOKEN = "cds_training_as_token_0123456789abcdef";
    private static final String HS_TOKEN = "cds_training_hs_token_0123456789abcdef";
    private static final String CONTROL_TOKEN = "cds_training_control_token_0123456789";
    /** Start-up, training and the archive's dump on exit each take about a second; these are generous bounds. */
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration REQUEST = Duration.ofSeconds(20);
    private static final Duration EXIT = Duration.ofSeconds(120);

    private CdsArchiveCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(HELP);
            return 0;
        }
        if (args.length != 1 || args[0].startsWith("-")) {
            err.print("fake-homeserver: cds-archive takes one argument, the archive file to write\n" + HELP);
            return 2;
        }
        Path target;
        try {
            target = Path.of(args[0]).toAbsolutePath();
        } catch (java.nio.file.InvalidPathException e) {
            err.println("fake-homeserver: cds-archive: not a file path: " + e.getMessage());
            return 2;
        }
        if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
            err.println("fake-homeserver: cds-archive: the directory " + target.getParent() + " does not exist");
            return 2;
        }
        Path jar = thisJar();
        if (jar == null) {
            err.println("fake-homeserver: cds-archive works on the standalone jar (java -jar"
                    + " fake-homeserver-<version>-standalone.jar cds-archive FILE); this runs from "
                    + CdsArchiveCommand.class.getProtectionDomain().getCodeSource().getLocation());
            return 2;
        }
        try {
            long bytes = write(jar, target, err);
            out.printf("fake-homeserver: wrote the class-data sharing archive %s (%.1f MiB) for %s and Java %s%n",
                    target, bytes / 1048576.0, jar.getFileName(), System.getProperty("java.vm.version"));
            out.println("  start with: java -XX:SharedArchiveFile=" + target + " -jar " + jar + " [OPTIONS]");
            return 0;
        } catch (TrainingFailed e) {
            err.println("fake-homeserver: cds-archive: " + e.getMessage());
            return 1;
        }
    }

    /** The jar this class was loaded from, or null when it runs from a directory (a build's classes). */
    private static Path thisJar() {
        try {
            Path p = Path.of(CdsArchiveCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** Runs the training child and answers the size of the archive it wrote, now at {@code target}. */
    private static long write(Path jar, Path target, PrintStream err) throws TrainingFailed {
        Path dir;
        try {
            dir = Files.createTempDirectory("fake-homeserver-cds-");
        } catch (IOException e) {
            throw new TrainingFailed("cannot make a temporary directory: " + e.getMessage());
        }
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        HttpServer appservice = null;
        Process child = null;
        Deque<String> output = new ArrayDeque<>();
        try {
            appservice = listenAsAppservice();
            Path reg = dir.resolve("registration.yaml");
            Files.writeString(reg, String.join("\n",
                    "id: cds",
                    "url: http://127.0.0.1:" + appservice.getAddress().getPort(),
                    "as_token: " + AS_TOKEN,
                    "hs_token: " + HS_TOKEN,
                    "sender_localpart: cdsbot",
                    "namespaces:",
                    "  users:",
                    "    - exclusive: true",
                    "      regex: '@cds_.*:test'",
                    ""));
            Files.deleteIfExists(partial);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            child = new ProcessBuilder(java, "-XX:ArchiveClassesAtExit=" + partial, "-jar", jar.toString(),
                    "--port", "0", "--bind", "127.0.0.1", "--server-name", "test", "--registration", reg.toString(),
                    "--control-token", CONTROL_TOKEN).redirectErrorStream(true).start();
            CompletableFuture<String> url = readOutput(child, output);
            String base;
            try {
                base = url.get(START.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                throw new TrainingFailed("the fake did not start within " + START.toSeconds() + " s");
            }
            if (base == null) {
                throw new TrainingFailed("the fake exited before it listened");
            }
            train(base);
            child.destroy();   // SIGTERM: the shutdown hook stops the fake, then the JVM writes the archive
            if (!child.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new TrainingFailed("the fake did not exit within " + EXIT.toSeconds() + " s of SIGTERM");
            }
            if (!Files.isRegularFile(partial) || Files.size(partial) == 0) {
                throw new TrainingFailed("the JVM wrote no archive (does this JDK ship its base CDS archive,"
                        + " lib/server/classes.jsa?)");
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Files.size(target);
        } catch (IOException e) {
            throw new TrainingFailed(String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrainingFailed("interrupted");
        } catch (TrainingFailed e) {
            synchronized (output) {
                if (!output.isEmpty()) {
                    err.println("fake-homeserver: cds-archive: the training run's last lines:");
                    output.forEach(l -> err.println("  " + l));
                }
            }
            throw e;
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
            }
            if (appservice != null) {
                appservice.stop(0);
            }
            deleteQuietly(partial);
            deleteQuietly(dir.resolve("registration.yaml"));
            deleteQuietly(dir);
        }
    }

    /** An appservice that acknowledges every transaction, so the push path is part of the training. */
    private static HttpServer listenAsAppservice() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        s.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        s.start();
        return s;
    }

    /** Completes with the banner's url (null if the child ends first); keeps the last 30 lines for errors. */
    private static CompletableFuture<String> readOutput(Process child, Deque<String> output) {
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (output) {
                        output.addLast(line);
                        if (output.size() > 30) {
                            output.removeFirst();
                        }
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                // the child ended
            }
            url.complete(null);
        }, "fake-homeserver-cds-output");
        t.setDaemon(true);
        t.start();
        return url;
    }

    /**
     * One short scenario, each step a request the standalone fake answers in everyday use: the classes they load
     * go into the archive, so a suite's first requests are fast too, not only {@code /versions}.
     */
    private static void train(String base) throws TrainingFailed, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST).build();
        Trainer t = new Trainer(http, base);
        t.call("GET", "/_matrix/client/versions", null, null);
        t.call("GET", "/_matrix/client/v3/login", null, null);
        t.call("POST", "/_matrix/client/v3/register", AS_TOKEN,
                "{\"type\":\"m.login.application_service\",\"username\":\"cds_bob\"}");
        t.call("GET", "/_matrix/client/v3/account/whoami?user_id=%40cds_bob%3Atest", AS_TOKEN, null);
        t.call("POST", "/_fakehs/v1/users", CONTROL_TOKEN, "{\"localpart\":\"alice\",\"displayname\":\"Alice\"}");
        String room = t.field(t.call("POST", "/_fakehs/v1/rooms", CONTROL_TOKEN,
                "{\"creator\":\"@alice:test\",\"name\":\"Training\",\"members\":[\"@cds_bob:test\"]}"), "room_id");
        String r = URLEncoder.encode(room, StandardCharsets.UTF_8);
        t.call("POST", "/_fakehs/v1/rooms/" + r + "/events", CONTROL_TOKEN, "{\"sender\":\"@alice:test\","
                + "\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"hello\"}}");
        t.call("GET", "/_fakehs/v1/transactions?wait_ms=10000&appservice=cds&sender=%40alice%3Atest&body=hello",
                CONTROL_TOKEN, null);
        t.call("PUT", "/_matrix/client/v3/rooms/" + r + "/send/m.room.message/cds1?user_id=%40cds_bob%3Atest",
                AS_TOKEN, "{\"msgtype\":\"m.text\",\"body\":\"re: hello\"}");
        t.call("GET", "/_fakehs/v1/rooms/" + r + "/timeline?wait_ms=10000&sender=%40cds_bob%3Atest&body=re%3A+hello",
                CONTROL_TOKEN, null);
        t.call("GET", "/_matrix/client/v3/sync?timeout=0&user_id=%40cds_bob%3Atest", AS_TOKEN, null);
        t.call("GET", "/_matrix/client/v3/rooms/" + r + "/messages?dir=b&limit=10&user_id=%40cds_bob%3Atest",
                AS_TOKEN, null);
        t.call("GET", "/_matrix/client/v3/profile/%40alice%3Atest", AS_TOKEN, null);
        t.call("GET", "/_fakehs/v1/journal", CONTROL_TOKEN, null);
        t.call("POST", "/_fakehs/v1/reset", CONTROL_TOKEN, "{}");
    }

    /** Sends the training requests; any answer but 2xx stops the training, naming the request. */
    private record Trainer(HttpClient http, String base) {
        String call(String method, String path, String token, String json) throws TrainingFailed,
                InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST)
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                b.header("Content-Type", "application/json");
            }
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            try {
                HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() / 100 != 2) {
                    throw new TrainingFailed(method + " " + path + " answered " + resp.statusCode() + " "
                            + resp.body());
                }
                return resp.body();
            } catch (IOException e) {
                throw new TrainingFailed(method + " " + path + ": " + e);
            }
        }

        /** A top-level string field of a JSON answer. */
        String field(String json, String name) throws TrainingFailed {
            String value;
            try {
                value = Json.parse(json.getBytes(StandardCharsets.UTF_8)).path(name).asText("");
            } catch (RuntimeException e) {
                throw new TrainingFailed("not JSON: " + json);
            }
            if (value.isEmpty()) {
                throw new TrainingFailed("no " + name + " in " + json);
            }
            return value;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary file left behind is harmless
        }
    }

    /** Why the training run wrote no archive; the message is the command's error line. */
    private static final class TrainingFailed extends Exception {
        TrainingFailed(String message) {
            super(message);
        }
    }
}
