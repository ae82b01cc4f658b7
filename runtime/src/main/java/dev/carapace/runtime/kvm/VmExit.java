package dev.carapace.runtime.kvm;

import dev.carapace.attestation.model.Bytes;

/**
 * Why {@code KVM_RUN} returned to user space, decoded from the shared {@code kvm_run} page. One
 * record per exit reason the VMM distinguishes; everything else is {@link Unknown}. Exits that
 * need an answer ({@link IoIn}, {@link MmioRead}) are completed through {@link VcpuFd} before the
 * next {@code KVM_RUN}.
 */
public sealed interface VmExit {

  /** {@code KVM_EXIT_IO}, direction in: the guest reads {@code count} items of {@code size}. */
  record IoIn(int port, int size, int count) implements VmExit {}

  /** {@code KVM_EXIT_IO}, direction out: {@code data} holds {@code count * size} bytes. */
  record IoOut(int port, int size, int count, Bytes data) implements VmExit {
    /** Item {@code index} of the output, little-endian, zero-extended. */
    public long value(int index) {
      long v = 0;
      for (int i = size - 1; i >= 0; i--) {
        v = (v << 8) | data.getUnsigned(index * size + i);
      }
      return v;
    }
  }

  /** {@code KVM_EXIT_MMIO} read of {@code length} (1..8) bytes at guest physical {@code address}. */
  record MmioRead(long address, int length) implements VmExit {}

  /** {@code KVM_EXIT_MMIO} write; {@code data} holds the little-endian value, zero-extended. */
  record MmioWrite(long address, int length, long data) implements VmExit {}

  /** {@code KVM_EXIT_HLT}: only seen without an in-kernel irqchip. */
  record Hlt() implements VmExit {}

  /** {@code KVM_EXIT_SHUTDOWN}: the guest triple-faulted (or the CPU otherwise shut down). */
  record Shutdown() implements VmExit {}

  /** {@code KVM_EXIT_FAIL_ENTRY}: VM entry failed with the hardware reason code. */
  record FailEntry(long hardwareReason, int cpu) implements VmExit {}

  /**
   * {@code KVM_EXIT_INTERNAL_ERROR}: KVM could not handle the exit (e.g. emulation failure), with
   * the {@code internal.data[]} words KVM supplied (for an emulation failure on recent kernels:
   * flags, instruction length, then the instruction bytes, little-endian).
   */
  record InternalError(int suberror, java.util.List<Long> data) implements VmExit {
    public InternalError {
      data = java.util.List.copyOf(data);
    }

    public static final int EMULATION = 1;
    public static final int SIMUL_EX = 2;
    public static final int DELIVERY_EV = 3;
    public static final int UNEXPECTED_EXIT_REASON = 4;
  }

  /** {@code KVM_EXIT_SYSTEM_EVENT}: shutdown, reset or crash requested through KVM. */
  record SystemEvent(int type) implements VmExit {
    public static final int SHUTDOWN = 1;
    public static final int RESET = 2;
    public static final int CRASH = 3;
  }

  /**
   * {@code KVM_EXIT_INTR}, or {@code KVM_RUN} failing with {@code EINTR}: a signal or
   * {@code immediate_exit} kicked the vCPU out. Not an error.
   */
  record Intr() implements VmExit {}

  /** {@code KVM_EXIT_DEBUG}. */
  record Debug(int exception, long pc) implements VmExit {}

  /** {@code KVM_EXIT_EXCEPTION}. */
  record GuestException(int exception, int errorCode) implements VmExit {}

  /** {@code KVM_EXIT_IRQ_WINDOW_OPEN}. */
  record IrqWindowOpen() implements VmExit {}

  /** Any other exit reason; {@code hardwareReason} is set for {@code KVM_EXIT_UNKNOWN} (0). */
  record Unknown(int reason, long hardwareReason) implements VmExit {}
}
