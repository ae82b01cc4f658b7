package dev.carapace.runtime.boot;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.runtime.memory.GuestMemory;
import dev.carapace.tdx.measure.MrTdCalculator;
import dev.carapace.tdx.measure.Rtmr;
import dev.carapace.tdx.measure.TdMeasurements;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The development TEE's measured launch (documented in {@code runtime/README.md}, "Measured
 * launch"), computed from a loaded guest so that the VMM and offline tools get the same values
 * from the same code:
 *
 * <ul>
 *   <li>MRTD: every 4 KiB page touched by a {@link LoadedRegion}, once, in region order (pages in
 *       ascending address order within a region), added with TDH.MEM.PAGE.ADD and fully
 *       measured with TDH.MR.EXTEND, its contents read from guest memory after loading;
 *   <li>RTMR0: zero (there is no firmware configuration to measure);
 *   <li>RTMR1: extended with SHA-384 of the kernel image file, byte for byte as given
 *       ({@link LinuxBoot#kernelFile()}: the bzImage when its vmlinux is what gets loaded);
 *   <li>RTMR2: extended with SHA-384 of the command line as the guest receives it (UTF-8 and the
 *       terminating NUL), then, if there is an initrd, with SHA-384 of the initrd;
 *   <li>RTMR3: zero (left to the guest).
 * </ul>
 *
 * <p>Stateless; reads guest memory only.
 */
public final class LaunchMeasurement {
  private static final int PAGE = MrTdCalculator.PAGE_SIZE;

  private LaunchMeasurement() {}

  /** The registers for {@code boot} as {@code setup} laid it out in {@code memory}. */
  public static TdMeasurements of(GuestMemory memory, BootSetup setup, LinuxBoot boot) {
    Bytes mrTd = mrTd(memory, setup.regions());
    Rtmr rtmr1 = Rtmr.initial().extend(kernelDigest(boot));
    Rtmr rtmr2 = Rtmr.initial().extendWithDigestOf(boot.commandLineBytes());
    byte[] initrd = boot.initrdBytes();
    if (initrd != null) {
      rtmr2 = rtmr2.extendWithDigestOf(initrd);
    }
    return new TdMeasurements(mrTd, List.of(Rtmr.initial().value(), rtmr1.value(),
        rtmr2.value(), Rtmr.initial().value()));
  }

  /**
   * MRTD over the pages {@code regions} touch, each page added and extended once, in order of
   * first appearance.
   *
   * @throws IllegalArgumentException if the memory size is not a multiple of 4 KiB
   */
  public static Bytes mrTd(GuestMemory memory, List<LoadedRegion> regions) {
    if (memory.size() % PAGE != 0) {
      throw new IllegalArgumentException("guest memory size " + memory.size()
          + " is not a multiple of " + PAGE);
    }
    MrTdCalculator calculator = new MrTdCalculator();
    Set<Long> added = new HashSet<>();
    byte[] page = new byte[PAGE];
    for (LoadedRegion r : regions) {
      if (r.length() <= 0) {
        continue;
      }
      long first = r.guestAddress() & -PAGE;
      long end = r.guestAddress() + r.length();
      for (long gpa = first; gpa < end; gpa += PAGE) {
        if (added.add(gpa)) {
          memory.read(gpa, page, 0, PAGE);
          calculator.addPage(gpa, page, 0, true);
        }
      }
    }
    return calculator.finish();
  }

  private static Bytes kernelDigest(LinuxBoot boot) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-384");
      boot.kernelFile().digestFile(md);
      return Bytes.copyOf(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-384", e);
    }
  }
}
