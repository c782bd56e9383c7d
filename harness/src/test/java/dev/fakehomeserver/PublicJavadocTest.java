package dev.fakehomeserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public top-level type of the public packages (harness and JUnit extension) carries a javadoc comment
 * with a usage example ({@code <pre>} or {@code {@code ...}}): users learn the API from its javadoc.
 */
class PublicJavadocTest {
    private static final Pattern TYPE = Pattern.compile(
            "(/\\*\\*(?:(?!\\*/).)*\\*/)?\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*public\\s+(?:final\\s+|abstract\\s+|sealed\\s+)*"
                    + "(?:class|interface|record|enum|@interface)\\s+(\\w+)", Pattern.DOTALL);

    @Test
    void every_public_type_has_javadoc_with_a_usage_example() throws IOException {
        List<String> missing = new ArrayList<>();
        List<Path> roots = Stream.of(Path.of("src/main/java"), Path.of("../junit5-extension/src/main/java"))
                .filter(Files::isDirectory).toList();
        int checked = 0;
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String rel = root.relativize(f).toString();
                    if (rel.contains("/internal/") || rel.endsWith("package-info.java")) {
                        continue;
                    }
                    Matcher m = TYPE.matcher(Files.readString(f));
                    if (m.find()) {
                        checked++;
                        String doc = m.group(1);
                        if (doc == null || !(doc.contains("<pre>") || doc.contains("{@code"))) {
                            missing.add(rel);
                        }
                    }
                }
            }
        }
        assertThat(checked).as("public types checked").isGreaterThan(20);
        assertThat(missing).as("public types without javadoc and a usage example").isEmpty();
    }
}
