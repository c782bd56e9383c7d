package dev.fakehomeserver.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Cold-start floor: the JDK's own HTTP server answering {@code /versions}; {@code java -cp ... JdkHttpServerMain PORT}. */
public final class JdkHttpServerMain {
    private JdkHttpServerMain() {}

    public static void main(String[] args) throws Exception {
        byte[] body = "{\"versions\":[\"v1.11\"]}".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 50);
        server.createContext("/", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }
}
