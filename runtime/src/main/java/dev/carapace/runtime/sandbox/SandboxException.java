package dev.carapace.runtime.sandbox;

import java.util.Objects;

/**
 * A sandboxer request was refused. The wire form is {@code {"error":{"reason","message"}}} with
 * {@link #reason()}'s name; branch on the reason, never on the message.
 */
public final class SandboxException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    /** The request line is not a JSON object with a string {@code op}, or is too long. */
    MALFORMED_REQUEST,
    /** {@code op} names no operation. */
    UNKNOWN_OPERATION,
    /** A field is missing, of the wrong type, out of range, or not known for the operation. */
    INVALID_ARGUMENT,
    /** No VM has that name. */
    NOT_FOUND,
    /** A VM with that name exists already. */
    ALREADY_EXISTS,
    /** The VM is not in a state that allows the operation (e.g. start after it ended). */
    INVALID_STATE,
    /** The kernel, initrd or command line was rejected (format, does not fit). */
    KERNEL_REJECTED,
    /** A file named in the request could not be read. */
    UNREADABLE,
    /** KVM refused a call or vCPUs did not stop in time. */
    VM_FAILURE,
    /** Quotes need a daemon started in development mode. */
    QUOTING_DISABLED,
    /** The VM has no launch measurement. */
    NOT_MEASURED,
    /** The quoting service failed. */
    QUOTE_FAILED,
    /** The daemon is shutting down. */
    SHUTTING_DOWN,
    /** Too many connections at once. */
    BUSY,
    /** Another daemon is listening on the socket path. */
    SOCKET_IN_USE
  }

  private final Reason reason;

  public SandboxException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public SandboxException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
