package dev.fakehomeserver.internal.cli;

import dev.fakehomeserver.Homeserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** One in-process run of the command line: its output, its error output and the server it started (closed by close). */
final class CliRun implements AutoCloseable {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicReference<Homeserver> started = new AtomicReference<>();

    int run(Map<String, String> env, String... args) {
        return StandaloneMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), started::set);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    Homeserver started() {
        return started.get();
    }

    @Override
    public void close() {
        if (started.get() != null) {
            started.get().close();
        }
    }
}
