package dev.fakehomeserver.junit5;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The extension and the assertions are written as a user's code would be: over the public facade only. If they
 * needed an internal type, a user would too, and the public API would be missing something.
 */
class UsersPackagesTest {
    private static final JavaClasses EXTENSION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.fakehomeserver.junit5", "dev.fakehomeserver.assertj");

    @Test
    void the_extension_and_the_assertions_use_no_internal_type() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.fakehomeserver.internal..")
                .check(EXTENSION);
    }
}
