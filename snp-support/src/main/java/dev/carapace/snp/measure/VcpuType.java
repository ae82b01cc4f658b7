package dev.carapace.snp.measure;

import java.util.Locale;
import java.util.Optional;

/**
 * QEMU built-in AMD EPYC CPU models and their CPUID Fn0000_0001_EAX signature, which QEMU places
 * in RDX of every initial VMSA (list as in sev-snp-measure {@code vcpu_types.py}).
 */
public enum VcpuType {
  EPYC("EPYC", 23, 1, 2),
  EPYC_V1("EPYC-v1", 23, 1, 2),
  EPYC_V2("EPYC-v2", 23, 1, 2),
  EPYC_IBPB("EPYC-IBPB", 23, 1, 2),
  EPYC_V3("EPYC-v3", 23, 1, 2),
  EPYC_V4("EPYC-v4", 23, 1, 2),
  EPYC_ROME("EPYC-Rome", 23, 49, 0),
  EPYC_ROME_V1("EPYC-Rome-v1", 23, 49, 0),
  EPYC_ROME_V2("EPYC-Rome-v2", 23, 49, 0),
  EPYC_ROME_V3("EPYC-Rome-v3", 23, 49, 0),
  EPYC_MILAN("EPYC-Milan", 25, 1, 1),
  EPYC_MILAN_V1("EPYC-Milan-v1", 25, 1, 1),
  EPYC_MILAN_V2("EPYC-Milan-v2", 25, 1, 1),
  EPYC_GENOA("EPYC-Genoa", 25, 17, 0),
  EPYC_GENOA_V1("EPYC-Genoa-v1", 25, 17, 0),
  EPYC_TURIN("EPYC-Turin", 26, 0, 0);

  private final String qemuName;
  private final int signature;

  VcpuType(String qemuName, int family, int model, int stepping) {
    this.qemuName = qemuName;
    this.signature = signature(family, model, stepping);
  }

  /** The QEMU {@code -cpu} name, e.g. {@code EPYC-Milan-v2}. */
  public String qemuName() {
    return qemuName;
  }

  /** The 32-bit CPUID signature, e.g. 0x800F12 for EPYC-v4. */
  public int signature() {
    return signature;
  }

  /** The type with this QEMU name (case-insensitive), if known. */
  public static Optional<VcpuType> fromName(String name) {
    for (VcpuType t : values()) {
      if (t.qemuName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /**
   * The CPUID signature for a family/model/stepping (AMD CPUID spec #25481, Fn0000_0001_EAX):
   * families above 0xF are split into base 0xF plus extended family.
   *
   * @throws IllegalArgumentException for negative values or family above 0x10E, model above 0xFF,
   *     stepping above 0xF
   */
  public static int signature(int family, int model, int stepping) {
    if (family < 0 || family > 0xF + 0xFF || model < 0 || model > 0xFF || stepping < 0
        || stepping > 0xF) {
      throw new IllegalArgumentException("family/model/stepping out of range");
    }
    int familyLow = Math.min(family, 0xF);
    int familyHigh = family > 0xF ? family - 0xF : 0;
    return familyHigh << 20 | (model >> 4) << 16 | familyLow << 8 | (model & 0xF) << 4 | stepping;
  }
}
