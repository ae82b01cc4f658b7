package dev.carapace.runtime.boot;

import java.util.Objects;

/**
 * Thrown when a kernel, initrd and command line cannot be laid out in the given guest memory. The
 * {@link Reason} says which rule was broken; the message gives the addresses and sizes involved.
 */
public final class BootException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the boot layout was refused. Stable: tests and callers switch on it. */
  public enum Reason {
    /** Guest memory is too small for the fixed boot structures (it must exceed 1 MiB). */
    MEMORY_TOO_SMALL,
    /** The kernel lies (partly) below 1 MiB, outside RAM, or its entry is not identity-mapped. */
    KERNEL_DOES_NOT_FIT,
    /** No room for the initrd between the kernel's end and the highest address it may use. */
    INITRD_DOES_NOT_FIT,
    /** The command line is longer than the kernel accepts. */
    COMMAND_LINE_TOO_LONG,
    /** The command line contains a NUL character. */
    INVALID_COMMAND_LINE,
    /** The vCPU count is outside 1..254 (MP table limit: the IOAPIC takes an APIC id too). */
    INVALID_VCPU_COUNT,
  }

  private final Reason reason;

  public BootException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public String getMessage() {
    return reason + ": " + super.getMessage();
  }
}
