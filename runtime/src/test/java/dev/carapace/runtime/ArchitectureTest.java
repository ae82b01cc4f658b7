package dev.carapace.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Package rules of the runtime: native code fenced into {@code kvm}, layering, no hidden globals. */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.carapace.runtime");

  @Test
  void bootKernelAndMemoryWhenImportedThenNoNativeOrVmmDependencies() {
    noClasses().that().resideInAnyPackage("dev.carapace.runtime.boot..",
            "dev.carapace.runtime.kernel..", "dev.carapace.runtime.memory..")
        .should().dependOnClassesThat().resideInAnyPackage("com.sun.jna..",
            "dev.carapace.runtime.kvm..", "dev.carapace.runtime.vmm..",
            "dev.carapace.runtime.devices..")
        .allowEmptyShould(true)
        .check(CLASSES);
  }

  @Test
  void jnaWhenUsedThenOnlyInsideKvmPackage() {
    noClasses().that().resideOutsideOfPackage("dev.carapace.runtime.kvm..")
        .should().dependOnClassesThat().resideInAPackage("com.sun.jna..")
        .check(CLASSES);
  }

  @Test
  void devicesWhenImportedThenKnowNothingAboutKvmOrTheVmm() {
    noClasses().that().resideInAPackage("dev.carapace.runtime.devices..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.carapace.runtime.kvm..",
            "dev.carapace.runtime.vmm..")
        .check(CLASSES);
  }

  @Test
  void packagesWhenImportedThenFreeOfCycles() {
    slices().matching("dev.carapace.runtime.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void classesWhenImportedThenTakeTimeAndRandomnessFromInjectedSources() {
    noClasses().that().resideInAnyPackage("dev.carapace.runtime.boot..",
            "dev.carapace.runtime.kernel..", "dev.carapace.runtime.memory..")
        .should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callConstructor(java.security.SecureRandom.class)
        .allowEmptyShould(true)
        .check(CLASSES);
  }

  @Test
  void classesWhenImportedThenTakeTimeFromInjectedClock() {
    noClasses().should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(java.time.Clock.class, "systemUTC")
        .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
        .check(CLASSES);
  }

  @Test
  void classesWhenImportedThenNoSpring() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..")
        .check(CLASSES);
  }
}
