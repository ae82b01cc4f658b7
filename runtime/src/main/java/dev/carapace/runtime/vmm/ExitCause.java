package dev.carapace.runtime.vmm;

/** Why a VM stopped running. */
public enum ExitCause {
  /** The host stopped it ({@link MicroVm#stop()} or {@link MicroVm#close()}). */
  STOPPED,
  /** The guest reset the machine (i8042 CPU reset, or a KVM reset system event). */
  GUEST_RESET,
  /** The guest powered off (KVM shutdown system event). */
  GUEST_SHUTDOWN,
  /** The guest reported a crash (KVM crash system event). */
  GUEST_CRASH,
  /** A vCPU halted with interrupts off and no in-kernel irqchip to wake it. */
  HALTED,
  /** A vCPU shut down: triple fault ({@code KVM_EXIT_SHUTDOWN}). */
  TRIPLE_FAULT,
  /** VM entry failed ({@code KVM_EXIT_FAIL_ENTRY}): invalid guest state. */
  ENTRY_FAILED,
  /** KVM could not handle an exit ({@code KVM_EXIT_INTERNAL_ERROR}), e.g. emulation failure. */
  INTERNAL_ERROR,
  /** The guest kept accessing MMIO where no device is, beyond the configured limit. */
  UNHANDLED_MMIO,
  /** An exit the VMM does not expect (debug, exception, unknown reason). */
  UNEXPECTED_EXIT,
  /** The host side failed (an ioctl error, a device bug). */
  HOST_ERROR
}
