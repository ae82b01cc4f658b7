package dev.carapace.tdx.pcs;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Collateral could not be obtained or is not well-formed. */
public final class CollateralException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. Stable: callers switch on it. */
  public enum Reason {
    /** A document is not the JSON, PEM or DER that its format requires. */
    MALFORMED,
    /** The source has no such document (HTTP 404, missing file). */
    NOT_FOUND,
    /** The source could not be reached or kept failing after retries. */
    UNAVAILABLE,
    /** The source answered with something other than the document (unexpected status). */
    BAD_RESPONSE,
  }

  private final Reason reason;

  public CollateralException(Reason reason, String message) {
    this(reason, message, null);
  }

  public CollateralException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }

  /** The message without the {@code REASON: } prefix that {@link #getMessage()} adds. */
  String detail() {
    String m = super.getMessage();
    return m == null ? "" : m;
  }

  @Override
  public String getMessage() {
    return reason + ": " + super.getMessage();
  }
}
