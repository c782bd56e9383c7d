package dev.fakehomeserver.assertj;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every public assertion method of this package is called by some test of this package. */
class EveryAssertionIsTestedTest {
    private static final List<Class<?>> ASSERTS = List.of(AbstractProbeAssert.class, HomeserverAssert.class,
            RoomAssert.class, TimelineAssert.class, UserAssert.class, JournalAssert.class, AppserviceAssert.class,
            HomeserverAssertions.class);

    @Test
    void every_public_assertion_method_is_called_by_a_test() throws IOException {
        String tests;
        try (Stream<Path> files = Files.list(Path.of("src/test/java/dev/fakehomeserver/assertj"))) {
            tests = files.filter(f -> !f.endsWith("EveryAssertionIsTestedTest.java")).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
        TreeSet<String> untested = new TreeSet<>();
        for (Class<?> c : ASSERTS) {
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()
                        && !tests.contains(m.getName() + "(")) {
                    untested.add(c.getSimpleName() + "." + m.getName());
                }
            }
        }
        assertThat(untested).as("public assertion methods no test calls").isEmpty();
    }
}
