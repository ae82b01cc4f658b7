package dev.carapace.guest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Package structure rules of the guest: no cycles, no hidden clock/randomness/globals/Spring. */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.carapace.guest");

  @Test
  void packagesWhenImportedThenFreeOfCycles() {
    slices().matching("dev.carapace.guest.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void keyAndAttesterWhenImportedThenIndependentOfTheKbsClient() {
    noClasses().that().resideInAnyPackage("dev.carapace.guest.key..",
        "dev.carapace.guest.attester..")
        .should().dependOnClassesThat().resideInAPackage("dev.carapace.guest.kbs..")
        .check(CLASSES);
  }

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
  void classesWhenImportedThenNoSpringAndNoInternalPackagesOfOtherModules() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..")
        .orShould().dependOnClassesThat().resideInAPackage("dev.carapace..internal..")
        .check(CLASSES);
  }
}
