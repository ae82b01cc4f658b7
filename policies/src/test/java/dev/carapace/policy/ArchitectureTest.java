package dev.carapace.policy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Rules of this library: no hidden clock, randomness or globals, and no Spring. */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.carapace.policy");

  @Test
  void classesWhenImportedThenTakeTimeAndRandomnessFromInjectedSources() {
    noClasses().should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callConstructor(java.security.SecureRandom.class)
        .orShould().callMethod(java.security.Security.class, "addProvider",
            java.security.Provider.class)
        .check(CLASSES);
  }

  @Test
  void classesWhenImportedThenNoSpring() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..")
        .check(CLASSES);
  }
}
