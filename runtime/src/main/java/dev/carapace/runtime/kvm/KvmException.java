package dev.carapace.runtime.kvm;

/**
 * A KVM or libc call failed. Carries the operation (the ioctl or function name) and the errno the
 * kernel returned, so a caller can tell "no /dev/kvm" from "out of memory" from "bad argument".
 */
public final class KvmException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the call failed, as far as the VMM can tell. */
  public enum Reason {
    /** {@code /dev/kvm} is missing or cannot be opened (permissions, no virtualization). */
    UNAVAILABLE,
    /** The kernel speaks another KVM API version or lacks a required capability. */
    UNSUPPORTED,
    /** An ioctl or system call returned an error. */
    CALL_FAILED,
    /** The kernel returned data the VMM cannot use (for example more CPUID entries than allowed). */
    BAD_KERNEL_DATA
  }

  private final Reason reason;
  private final String operation;
  private final int errno;

  public KvmException(Reason reason, String operation, int errno, String message) {
    super(message);
    this.reason = reason;
    this.operation = operation;
    this.errno = errno;
  }

  static KvmException callFailed(String operation, int errno) {
    return new KvmException(Reason.CALL_FAILED, operation, errno,
        operation + " failed: errno " + errno);
  }

  public Reason reason() {
    return reason;
  }

  /** The ioctl or libc function that failed. */
  public String operation() {
    return operation;
  }

  /** The kernel's errno, or 0 when none applies. */
  public int errno() {
    return errno;
  }
}
