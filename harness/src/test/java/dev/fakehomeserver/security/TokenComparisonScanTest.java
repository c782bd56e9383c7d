package dev.fakehomeserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Constant-time token comparison cannot be shown by a test that times requests (far too noisy on a shared
 * machine), so it is kept by construction: access tokens are looked up only through {@code TokenIndex}
 * (SHA-256 keyed map, then {@code MessageDigest.isEqual}), and the other secrets (control token, passwords,
 * two registrations' tokens) are compared with {@code MessageDigest.isEqual} or {@code TokenIndex.same}. This
 * scan of the main sources fails on any {@code equals}, {@code compareTo} or {@code Objects.equals} whose
 * operand is named like a token or password, and on a map keyed by tokens outside {@code TokenIndex}.
 */
class TokenComparisonScanTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern SECRET = Pattern.compile("(?i)(token|password|secret)");
    private static final List<Pattern> FORBIDDEN = List.of(
            Pattern.compile("(?i)\\w*(token|password|secret)\\w*(\\(\\))?\\s*\\.\\s*(equals|equalsIgnoreCase|"
                    + "compareTo|contentEquals|startsWith|hashCode)\\s*\\("),
            Pattern.compile("(?i)\\.(equals|equalsIgnoreCase|contentEquals)\\s*\\(\\s*[\\w.]*(token|password|secret)"),
            Pattern.compile("(?i)Objects\\.equals\\s*\\([^;]*(token|password|secret)"),
            Pattern.compile("(?i)Map<String,\\s*\\w+>\\s+\\w*(byToken|tokens)\\w*\\s*="));

    /** The lines of code (comments and javadoc dropped) that compare a secret the slow-leaking way. */
    static List<String> violations(String file, List<String> lines) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String code = lines.get(i).replaceAll("//.*$", "").strip();
            if (code.startsWith("*") || code.startsWith("/*") || !SECRET.matcher(code).find()) {
                continue;
            }
            for (Pattern p : FORBIDDEN) {
                if (p.matcher(code).find()) {
                    found.add(file + ":" + (i + 1) + ": " + code);
                    break;
                }
            }
        }
        return found;
    }

    @Test
    void no_main_source_compares_a_token_or_password_with_equals() throws IOException {
        List<String> found = new ArrayList<>();
        int files;
        try (Stream<Path> all = Files.walk(MAIN)) {
            List<Path> sources = all.filter(p -> p.toString().endsWith(".java")).toList();
            files = sources.size();
            for (Path p : sources) {
                found.addAll(violations(MAIN.relativize(p).toString(), read(p)));
            }
        }
        assertThat(files).as("main sources scanned").isGreaterThan(50);
        assertThat(found).isEmpty();
    }

    @Test
    void the_scan_catches_the_shapes_it_forbids() {
        List<String> bad = List.of(
                "if (r.asToken().equals(given)) {",
                "return token.equals(other);",
                "if (given.equals(controlToken)) {",
                "boolean same = Objects.equals(a.hsToken(), b);",
                "private final Map<String, Session> byToken = new HashMap<>();",
                "if (password.compareTo(x) == 0) {");
        assertThat(violations("Example.java", bad)).hasSize(bad.size());
        assertThat(violations("Example.java", List.of("// token.equals(x) in a comment", " * token.equals(x)",
                "if (MessageDigest.isEqual(given, token)) {", "T value = tokens.get(token);"))).isEmpty();
    }

    private static List<String> read(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
