package dev.carapace.runtime.vmm;

/** A VM could not be created or an operation was refused. Branch on {@link #reason()}. */
public final class VmException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Reason {
    /** The configuration is invalid (sizes, counts, names, device placement). */
    INVALID_CONFIG,
    /** The operation is not allowed in the VM's current state. */
    INVALID_STATE,
    /** The payload or boot setup does not fit guest memory, or the boot was rejected. */
    INVALID_PAYLOAD,
    /** Another VM in the same manager has this name. */
    DUPLICATE_NAME,
    /** KVM refused a call (see the cause). */
    KVM_FAILURE,
    /** vCPU threads did not acknowledge a pause or stop in time. */
    TIMEOUT,
    /** The VM has no launch measurement (it was not loaded from a {@code LinuxBoot}). */
    NOT_MEASURED,
    /** The quoting service could not produce a quote (see the cause). */
    QUOTE_FAILED
  }

  private final Reason reason;

  public VmException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public VmException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
