package dev.carapace.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Package rules for the boot side of the runtime: boot, kernel and memory run in offline tools as
 * well as in the VMM, so they must not reach native code or the KVM/VMM/device packages.
 */
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
}
