package dev.fakehomeserver.hardening;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Counts the sockets this JVM holds open to a port, from Linux's {@code /proc}: the file descriptors of
 * {@code /proc/self/fd} that are sockets, matched by inode against the connections of {@code /proc/net/tcp} and
 * {@code tcp6} whose remote end is that port. So a test sees what the fake's process itself leaks, whatever the
 * peer does with its end.
 */
final class OpenSockets {
    private OpenSockets() {}

    /** Whether this machine has the {@code /proc} files the count reads. */
    static boolean countable() {
        return Files.isDirectory(Path.of("/proc/self/fd")) && Files.isReadable(Path.of("/proc/net/tcp"));
    }

    /** The sockets of this process connected to {@code remotePort} (any state but listening). */
    static int to(int remotePort) throws IOException {
        Set<String> mine = socketInodes();
        int n = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p); // read once: the table changes as connections come and go
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // f[2] is rem_address "ADDR:PORT" in hex, f[3] the state (0A listening), f[9] the inode
                int port = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                if (port == remotePort && !f[3].equals("0A") && mine.contains(f[9])) {
                    n++;
                }
            }
        }
        return n;
    }

    private static Set<String> socketInodes() throws IOException {
        Set<String> out = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        out.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while the directory was read: not open
                }
            }
        }
        return out;
    }
}
