package dev.fakehomeserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The public surface never mentions an internal type: users import only public packages. */
class PublicApiTest {

    @Test
    void public_signatures_never_mention_internal_types() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : publicClasses()) {
            for (Method m : c.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic()) {
                    check(leaks, c, m.toGenericString());
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k.getModifiers())) {
                    check(leaks, c, k.toGenericString());
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    check(leaks, c, f.toGenericString());
                }
            }
        }
        assertThat(leaks).as("public API mentioning dev.fakehomeserver.internal").isEmpty();
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(List<String> leaks, Class<?> c, String signature) {
        if (signature.contains("dev.fakehomeserver.internal.")) {
            leaks.add(c.getName() + ": " + signature);
        }
    }

    static List<Class<?>> publicClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Homeserver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.startsWith("dev.fakehomeserver.") && !name.contains(".internal.")) {
                    Class<?> c = Class.forName(name, false, PublicApiTest.class.getClassLoader());
                    if (Modifier.isPublic(c.getModifiers())) {
                        out.add(c);
                    }
                }
            }
        }
        assertThat(out).as("public classes found").isNotEmpty();
        return out;
    }
}
