package dev.carapace.runtime.kvm;

import java.util.List;

/** One model-specific register value for {@code KVM_SET_MSRS}. */
public record MsrEntry(int index, long value) {
  public static final int IA32_TSC = 0x10;
  public static final int IA32_SYSENTER_CS = 0x174;
  public static final int IA32_SYSENTER_ESP = 0x175;
  public static final int IA32_SYSENTER_EIP = 0x176;
  public static final int IA32_MISC_ENABLE = 0x1a0;
  public static final int MTRR_DEF_TYPE = 0x2ff;
  public static final int STAR = 0xc0000081;
  public static final int LSTAR = 0xc0000082;
  public static final int CSTAR = 0xc0000083;
  public static final int SYSCALL_MASK = 0xc0000084;
  public static final int KERNEL_GS_BASE = 0xc0000102;

  /** {@code IA32_MISC_ENABLE.FAST_STRING}. */
  public static final long MISC_ENABLE_FAST_STRING = 1;
  /** {@code MTRRdefType}: MTRRs enabled (bit 11), default memory type write-back (6). */
  public static final long MTRR_ENABLE_WRITE_BACK = (1L << 11) | 6;

  /**
   * The MSRs Firecracker sets on every vCPU before boot: SYSENTER/SYSCALL MSRs and the TSC
   * zeroed, fast strings enabled, MTRRs on with write-back as the default type.
   */
  public static List<MsrEntry> bootMsrs() {
    return List.of(
        new MsrEntry(IA32_SYSENTER_CS, 0),
        new MsrEntry(IA32_SYSENTER_ESP, 0),
        new MsrEntry(IA32_SYSENTER_EIP, 0),
        new MsrEntry(STAR, 0),
        new MsrEntry(CSTAR, 0),
        new MsrEntry(KERNEL_GS_BASE, 0),
        new MsrEntry(SYSCALL_MASK, 0),
        new MsrEntry(LSTAR, 0),
        new MsrEntry(IA32_TSC, 0),
        new MsrEntry(IA32_MISC_ENABLE, MISC_ENABLE_FAST_STRING),
        new MsrEntry(MTRR_DEF_TYPE, MTRR_ENABLE_WRITE_BACK));
  }
}
