package dev.carapace.snp.measure;

import java.util.Optional;

/**
 * Types of OVMF SEV metadata sections (edk2
 * {@code OvmfPkg/ResetVector/X64/OvmfSevMetadata.asm}).
 */
public enum SectionType {
  /** Pre-validated SEC memory: measured as ZERO pages (UNMEASURED on GCE). */
  SNP_SEC_MEMORY(1),
  /** The SNP secrets page: one SECRETS page. */
  SNP_SECRETS(2),
  /** The CPUID page: one CPUID page. */
  CPUID(3),
  /** SVSM calling-area address page: ZERO pages. */
  SVSM_CAA(4),
  /** The kernel/initrd/cmdline hashes-table page: NORMAL, or ZERO pages without a kernel. */
  SNP_KERNEL_HASHES(0x10);

  private final int code;

  SectionType(int code) {
    this.code = code;
  }

  /** The u32 type value stored in the metadata descriptor. */
  public int code() {
    return code;
  }

  /** The type with this code, if known. */
  public static Optional<SectionType> fromCode(long code) {
    for (SectionType t : values()) {
      if (t.code == code) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
