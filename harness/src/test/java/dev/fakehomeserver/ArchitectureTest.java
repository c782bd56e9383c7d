package dev.fakehomeserver;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The layering of the README's design section, as rules: a new dependency running back up fails the build.
 *
 * <pre>
 *   faces (control API, CLI) -> facade (Homeserver) -> engine (+ DSL, fault deciding) -> http / push -> auth -> model
 *       -> registration (loading, namespaces) -> base (error type, JSON)
 * </pre>
 *
 * Public value types (registrations, views, journal records, fault rules, the DSL's interfaces) sit beside the
 * layers: every layer may use them, and they use nothing of the engine's. Plain JUnit tests over ArchUnit's core,
 * rather than its own test engine, so the same tests run under JUnit 5 and JUnit 6.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.fakehomeserver");

    private static final DescribedPredicate<JavaClass> FACADE = DescribedPredicate.describe("the facade",
            c -> c.isEquivalentTo(Homeserver.class) || c.isEquivalentTo(HomeserverBuilder.class)
                    || (c.getEnclosingClass().isPresent()
                        && (c.getEnclosingClass().get().isEquivalentTo(Homeserver.class)
                            || c.getEnclosingClass().get().isEquivalentTo(HomeserverBuilder.class))));

    /** Public value types: registrations, namespaces, views, journal records, fault rules, the DSL's interfaces. */
    private static final DescribedPredicate<JavaClass> VALUES = DescribedPredicate.describe("public value types",
            resideInAnyPackage("dev.fakehomeserver", "dev.fakehomeserver.events", "dev.fakehomeserver.faults",
                    "dev.fakehomeserver.journal", "dev.fakehomeserver.view",
                    "dev.fakehomeserver.platform", "dev.fakehomeserver.coverage").and(DescribedPredicate.not(FACADE)));

    @Test
    void layers_depend_only_downwards() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("dev.fakehomeserver..")
                // The one arrow up, by design: the facade mounts the control API over itself
                // (HomeserverBuilder.controlApi), so the engine below needs to know nothing of it.
                .ignoreDependency(FACADE, resideInAPackage("..internal.control.."))
                .ignoreDependency(FACADE, resideInAPackage("..internal.console.."))
                // the conformance kit is a face too: a client of the facade, run from JUnit, AssertJ or the CLI
                .layer("Faces").definedBy("..internal.control..", "..internal.console..", "..internal.cli..",
                        "..internal.conformance..", "dev.fakehomeserver.conformance..",
                        // expectations and their failure messages: what AssertJ and the control API's waits share
                        "dev.fakehomeserver.expect..")
                .layer("Facade").definedBy(FACADE)
                .layer("Engine").definedBy("..internal.engine..", "..internal.dsl..", "..internal.faults..")
                .layer("HttpPush").definedBy("..internal.http..", "..internal.push..", "..internal.journal..")
                // the hosting platform's rules, a layer over the registrations that the engine consults
                .layer("Platform").definedBy("..internal.platform..")
                .layer("Auth").definedBy("..internal.auth..")
                .layer("Model").definedBy("..internal.model..")
                .layer("Registration").definedBy("..internal.registration..")
                .layer("Base").definedBy("..internal.base..")
                .layer("Values").definedBy(VALUES)
                .withOptionalLayers(true)
                .whereLayer("Faces").mayNotBeAccessedByAnyLayer()
                .whereLayer("Facade").mayOnlyBeAccessedByLayers("Faces")
                .whereLayer("Engine").mayOnlyBeAccessedByLayers("Facade")
                .whereLayer("HttpPush").mayOnlyBeAccessedByLayers("Faces", "Facade", "Engine")
                .whereLayer("Platform").mayOnlyBeAccessedByLayers("Facade", "Engine")
                .whereLayer("Auth").mayOnlyBeAccessedByLayers("Facade", "Engine", "HttpPush")
                .whereLayer("Model").mayOnlyBeAccessedByLayers("Facade", "Engine", "HttpPush", "Auth")
                .whereLayer("Registration")
                        .mayOnlyBeAccessedByLayers("Values", "Facade", "Engine", "Platform", "HttpPush", "Auth",
                                "Model")
                .check(MAIN);
    }

    @Test
    void the_model_knows_nothing_of_http_auth_push_or_the_faces() {
        noClasses().that().resideInAPackage("..internal.model..")
                .should().dependOnClassesThat().resideInAnyPackage("..internal.http..", "..internal.auth..",
                        "..internal.push..", "..internal.engine..", "..internal.dsl..", "..internal.control..",
                        "..internal.cli..")
                .check(MAIN);
    }

    @Test
    void the_base_package_depends_on_nothing_of_ours() {
        noClasses().that().resideInAPackage("..internal.base..")
                .should().dependOnClassesThat(resideInAPackage("dev.fakehomeserver..")
                        .and(resideOutsideOfPackage("..internal.base..")))
                .check(MAIN);
    }

    @Test
    void no_cycles_between_internal_packages() {
        slices().matching("dev.fakehomeserver.internal.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void no_cycles_between_public_packages() {
        slices().matching("dev.fakehomeserver.(*)").should().beFreeOfCycles()
                .ignoreDependency(FACADE, DescribedPredicate.alwaysTrue())
                .check(MAIN);
    }

    @Test
    void only_the_facade_and_the_faces_reach_the_engine() {
        noClasses().that().resideOutsideOfPackages("..internal.engine..", "..internal.dsl..", "..internal.faults..",
                        "..internal.control..",
                        "..internal.cli..").and(DescribedPredicate.not(FACADE))
                .should().dependOnClassesThat().resideInAnyPackage("..internal.engine..")
                .check(MAIN);
    }

    /**
     * No two source files depend on each other, even through others (a class and its nested classes are one
     * file). The facade is one unit here (the builder and what it builds), and its mounting of the control API
     * and the console over itself is the one arrow up, as in {@link #layers_depend_only_downwards}.
     */
    @Test
    void no_cycles_between_files() {
        slices().assignedFrom(SOURCE_FILES).should().beFreeOfCycles()
                .ignoreDependency(FACADE, resideInAnyPackage("..internal.control..", "..internal.console.."))
                .check(MAIN);
    }

    private static final SliceAssignment SOURCE_FILES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            if (FACADE.test(c)) {
                return SliceIdentifier.of("the facade");
            }
            JavaClass top = c;
            while (top.getEnclosingClass().isPresent()) {
                top = top.getEnclosingClass().get();
            }
            return SliceIdentifier.of(top.getName());
        }

        @Override
        public String getDescription() {
            return "source files";
        }
    };
}
