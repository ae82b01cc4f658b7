package dev.carapace.runtime.kvm;

/** The general-purpose registers of a vCPU ({@code struct kvm_regs}). */
public record GeneralRegisters(
    long rax, long rbx, long rcx, long rdx, long rsi, long rdi, long rsp, long rbp,
    long r8, long r9, long r10, long r11, long r12, long r13, long r14, long r15,
    long rip, long rflags) {

  /** {@code RFLAGS} bit 1 is reserved and always set. */
  public static final long RFLAGS_RESERVED = 0x2;

  /** All registers zero except {@code rip}, {@code rsp}, {@code rbp}, {@code rsi} and {@code rflags}. */
  public static GeneralRegisters entry(long rip, long rsp, long rbp, long rsi, long rflags) {
    return new GeneralRegisters(0, 0, 0, 0, rsi, 0, rsp, rbp, 0, 0, 0, 0, 0, 0, 0, 0, rip,
        rflags | RFLAGS_RESERVED);
  }
}
