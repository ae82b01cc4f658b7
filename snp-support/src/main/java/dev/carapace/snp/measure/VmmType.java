package dev.carapace.snp.measure;

import java.util.Locale;
import java.util.Optional;

/**
 * The hypervisor that launches the guest; each sets slightly different initial vCPU state and
 * page types (sev-snp-measure {@code vmm_types.py}, {@code vmsa.py}, {@code guest.py}).
 */
public enum VmmType {
  /** QEMU/KVM. */
  QEMU,
  /** AWS EC2: different segment attributes, RDX 0x600, no FPU init, CPUID page measured last. */
  EC2,
  /** Google Compute Engine: G_PAT 0x00070106, RDX 0x600, no FPU init, SEC memory UNMEASURED. */
  GCE;

  /** The type with this name ({@code QEMU}, {@code ec2}, {@code gce}; any case), if known. */
  public static Optional<VmmType> fromName(String name) {
    for (VmmType t : values()) {
      if (t.name().equals(name.toUpperCase(Locale.ROOT))) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
