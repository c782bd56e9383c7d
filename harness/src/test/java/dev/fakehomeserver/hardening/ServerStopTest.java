package dev.fakehomeserver.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Closing a server while connections wait to be accepted logs nothing: the connections are refused, as after
 * any close, and no stack trace reaches the test's output. Before, each connection the listener had queued but
 * not yet accepted when it closed logged XNIO's "Failed to accept a connection" with a
 * {@code ClosedChannelException} trace, or "Task failed" with a {@code RejectedExecutionException}, about a
 * dozen lines each (four of them in one CI run, from a test that simply closed its server). Before the fix this
 * test saw 5 to 55 of them per run.
 */
class ServerStopTest {
    /**
     * Where XNIO logs an accept that met a closed server and a task that met a terminating thread, and Undertow an
     * exchange finished on one (through JBoss Logging to java.util.logging); held, as java.util.logging keeps loggers weakly.
     */
    private static final List<Logger> XNIO = List.of(Logger.getLogger("org.xnio.listener"),
            Logger.getLogger("org.xnio.nio"), Logger.getLogger("io.undertow.request.io"));
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                logged.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void listen() {
        XNIO.forEach(l -> l.addHandler(capture));
    }

    @AfterEach
    void stopListening() {
        XNIO.forEach(l -> l.removeHandler(capture));
    }

    @Test
    void closing_with_connections_waiting_to_be_accepted_logs_no_stack_trace() throws IOException {
        int connections = 0;
        for (int round = 0; round < 30; round++) {
            Homeserver hs = Homeserver.builder().start();
            List<Socket> waiting = new ArrayList<>();
            try {
                // Connected by the kernel (in the listen backlog) but not yet accepted by the IO thread.
                for (int i = 0; i < 40; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", hs.port()), 5_000);
                    waiting.add(s);
                }
            } finally {
                hs.close();
                for (Socket s : waiting) {
                    s.close();
                }
            }
            connections += waiting.size();
        }
        assertThat(connections).isEqualTo(30 * 40);
        assertThat(logged).as("records logged by XNIO while %d connections met a closing server",
                        connections)
                .extracting(r -> r.getMessage() + " " + r.getThrown())
                .isEmpty();
    }
}
