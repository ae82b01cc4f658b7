package dev.carapace.guest.attester;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The TEE could not produce evidence; {@link #reason()} says why. */
public final class AttesterException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why no evidence was produced. */
  public enum Reason {
    /** The interface is absent (no configfs-tsm directory, kernel older than 6.7). */
    UNAVAILABLE,
    /** configfs-tsm is served by another provider than this attester's TEE. */
    WRONG_PROVIDER,
    /** Another writer changed the report entry between our write and read (generation moved). */
    GENERATION_MISMATCH,
    /** Creating, writing, reading or removing the report entry failed. */
    IO_FAILURE,
    /** The TEE returned something that is not a report for our report data. */
    MALFORMED_REPORT,
    /** The simulator refused to sign (development attesters only). */
    SIMULATOR_FAILURE
  }

  private final Reason reason;

  public AttesterException(Reason reason, String message) {
    this(reason, message, null);
  }

  public AttesterException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
