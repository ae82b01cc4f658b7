package dev.carapace.snp.measure;

/** SNP_LAUNCH_UPDATE page types (SNP ABI PAGE_INFO.PAGE_TYPE; equal to KVM's constants). */
public enum PageType {
  NORMAL(1),
  VMSA(2),
  ZERO(3),
  UNMEASURED(4),
  SECRETS(5),
  CPUID(6);

  private final int code;

  PageType(int code) {
    this.code = code;
  }

  /** The PAGE_TYPE byte. */
  public int code() {
    return code;
  }

  /** True for the types whose PAGE_INFO CONTENTS is the SHA-384 of the page (NORMAL, VMSA). */
  public boolean measuresContents() {
    return this == NORMAL || this == VMSA;
  }
}
