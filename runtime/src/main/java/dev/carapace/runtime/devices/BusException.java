package dev.carapace.runtime.devices;

/** A device could not be placed on a {@link Bus}. */
public final class BusException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the placement was refused. */
  public enum Reason {
    /** The range is empty. */
    EMPTY_RANGE,
    /** {@code base + length} wraps around the address space. */
    ADDRESS_OVERFLOW,
    /** The range collides with a device already on the bus. */
    OVERLAP
  }

  private final Reason reason;

  public BusException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
