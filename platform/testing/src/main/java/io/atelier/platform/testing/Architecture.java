package io.atelier.platform.testing;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Structure rules every module keeps, checked by a plain JUnit test per module (ArchUnit reads the
 * compiled classes; nothing starts).
 */
public final class Architecture {

    private Architecture() {
    }

    /**
     * No two feature packages under {@code rootPackage} depend on each other in a loop: a feature can
     * be read, changed and moved on its own. Test classes are left out.
     */
    public static void assertNoPackageCycles(String rootPackage) {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
        slices().matching(rootPackage + ".(*)..").should().beFreeOfCycles().check(classes);
    }
}
