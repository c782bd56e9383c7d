package dev.fakehomeserver.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/tester-api.md} lists every public method of every public type of the public packages (harness and
 * JUnit extension), each with the first sentence of its javadoc, generated from the code: the page cannot drift.
 * After an API change, regenerate it with {@code -Dfakehomeserver.updateApiDoc=true} and review the diff.
 */
class TesterApiDocTest {
    private static final Path DOC = Path.of("../docs/tester-api.md");
    private static final List<Path> ROOTS = List.of(Path.of("../harness/src/main/java"), Path.of("src/main/java"));
    /** JUnit's callbacks on the extension: public for JUnit, not for testers. */
    private static final Set<String> CALLBACKS = Set.of("beforeAll", "beforeEach", "afterEach", "afterAll",
            "supportsParameter", "resolveParameter");
    private static final Set<String> OBJECT_METHODS = Set.of("equals", "hashCode", "toString", "values", "valueOf");

    @Test
    void the_reference_page_lists_every_public_method_as_the_code_has_it() throws Exception {
        String generated = generate();
        if (Boolean.getBoolean("fakehomeserver.updateApiDoc") || !Files.exists(DOC)) {
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as("docs/tester-api.md is out of date: regenerate with -Dfakehomeserver.updateApiDoc=true")
                .isEqualTo(generated);
    }

    private static String generate() throws IOException, ClassNotFoundException {
        StringBuilder md = new StringBuilder("""
                # The tester's API, every public method

                Generated from the code by `TesterApiDocTest` (junit5-extension), which fails when this page and the
                code differ; regenerate with `mvn -pl junit5-extension -am test -Dtest=TesterApiDocTest
                -Dsurefire.failIfNoSpecifiedTests=false -Dfakehomeserver.updateApiDoc=true`. Each line is a method
                with the first sentence of its javadoc; the javadoc itself (in the `-javadoc.jar`, or your IDE) has
                the details and examples. Start with `Homeserver`, `Actor` and `HomeserverAssertions.assertThat`.
                """);
        for (Path root : ROOTS) {
            for (Path file : publicSources(root)) {
                String source = Files.readString(file);
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.java$", "");
                for (Class<?> type : withNested(Class.forName(name))) {
                    section(md, type, source);
                }
            }
        }
        return md.toString();
    }

    private static List<Path> publicSources(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java") && !p.toString().contains("/internal/")
                    && !p.endsWith("package-info.java")).sorted(Comparator.comparing(Path::toString)).toList();
        }
    }

    private static List<Class<?>> withNested(Class<?> top) {
        List<Class<?>> out = new ArrayList<>();
        if (Modifier.isPublic(top.getModifiers())) {
            out.add(top);
            Arrays.stream(top.getDeclaredClasses()).filter(c -> Modifier.isPublic(c.getModifiers()))
                    .sorted(Comparator.comparing(Class::getSimpleName)).forEach(out::add);
        }
        return out;
    }

    private static void section(StringBuilder md, Class<?> type, String source) {
        List<Method> methods = Arrays.stream(type.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()
                        && !OBJECT_METHODS.contains(m.getName()) && !CALLBACKS.contains(m.getName()))
                .sorted(Comparator.comparing(Method::getName).thenComparing(TesterApiDocTest::params)).toList();
        if (methods.isEmpty()) {
            return;
        }
        String typeName = type.getName().substring(type.getPackageName().length() + 1).replace('$', '.');
        md.append("\n## ").append(typeName).append(" (").append(type.getPackageName()).append(")\n\n");
        for (Method m : methods) {
            md.append("- `").append(Modifier.isStatic(m.getModifiers()) ? "static " : "").append(m.getName())
                    .append('(').append(params(m)).append(")` → `").append(m.getReturnType().getSimpleName())
                    .append('`');
            String doc = firstSentence(source, m);
            md.append(doc.isEmpty() ? "" : ": " + doc).append('\n');
        }
    }

    private static String params(Method m) {
        return Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "));
    }

    /**
     * The first sentence of the javadoc right before the method's declaration (the overload with the same
     * parameter types), or for a record's accessor the {@code @param} text of its component.
     */
    private static String firstSentence(String source, Method m) {
        Pattern decl = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*"
                + "(?:public\\s+|default\\s+|static\\s+|final\\s+|synchronized\\s+|abstract\\s+)*[\\w<>\\[\\],.? ]+\\s"
                + Pattern.quote(m.getName()) + "\\(([^)]*)\\)", Pattern.DOTALL);
        Matcher x = decl.matcher(source);
        String doc = null;
        while (x.find()) {
            if (sameParameters(x.group(2), m)) {
                doc = x.group(1);
                break;
            }
        }
        if (doc == null && m.getDeclaringClass().isRecord() && m.getParameterCount() == 0) {
            Matcher p = Pattern.compile("@param " + Pattern.quote(m.getName()) + "\\s+((?:(?!@param|\\*/).)*)",
                    Pattern.DOTALL).matcher(source);
            doc = p.find() ? p.group(1) : null;
        }
        if (doc == null) {
            return "";
        }
        String text = doc.replaceAll("(?m)^\\s*\\*\\s?", " ").replaceAll("(?s)<pre>.*", "").replaceAll("\\s+", " ")
                .strip();
        text = text.replaceAll("\\{@(?:code|literal) ([^}]*)}", "`$1`")
                .replaceAll("\\{@link(?:plain)? #?([^} ]+)[^}]*}", "`$1`")
                .replaceAll("<[^>]+>", "").replaceAll("(?s)@(param|return|throws).*", "").strip();
        int dot = text.indexOf(". ");
        return dot < 0 ? text : text.substring(0, dot + 1);
    }

    /** Whether a source parameter list ({@code Predicate<Violation> which, int n}) has the method's types. */
    private static boolean sameParameters(String declared, Method m) {
        String noGenerics = declared.replaceAll("<[^<>]*>", "").replaceAll("<[^<>]*>", "").strip();
        List<String> types = noGenerics.isEmpty() ? List.of() : Arrays.stream(noGenerics.split(","))
                .map(p -> p.strip().replaceAll("^final\\s+", "").replaceAll("@\\w+\\s+", ""))
                .map(p -> p.substring(0, p.lastIndexOf(' ')).strip().replace("...", "[]"))
                .map(t -> t.substring(t.lastIndexOf('.') + 1)).toList();
        return types.equals(Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).toList());
    }
}
