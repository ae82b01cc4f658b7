package dev.carapace.runtime.vmm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.carapace.runtime.kvm.Kvm;
import dev.carapace.runtime.kvm.KvmException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens /dev/kvm for a test, or skips the test with the reason. */
final class KvmTestSupport {
  private KvmTestSupport() {}

  static Kvm openKvmOrSkip() {
    assumeTrue(Files.exists(Path.of(Kvm.DEFAULT_DEVICE)),
        "skipped: " + Kvm.DEFAULT_DEVICE + " does not exist on this host");
    try {
      return Kvm.open();
    } catch (KvmException e) {
      assumeTrue(false, "skipped: KVM is not usable here: " + e.getMessage());
      throw new AssertionError(e);
    }
  }
}
