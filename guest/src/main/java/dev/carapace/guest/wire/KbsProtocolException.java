package dev.carapace.guest.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A KBS protocol message that cannot be read, encrypted or decrypted. */
public final class KbsProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the message was rejected. */
  public enum Reason {
    /** Not the JSON shape the protocol defines. */
    MALFORMED,
    /** A JWE algorithm or key type this implementation does not support. */
    UNSUPPORTED_ALGORITHM,
    /** The JWE does not decrypt or authenticate with the given key. */
    DECRYPTION_FAILED
  }

  private final Reason reason;

  public KbsProtocolException(Reason reason, String message) {
    this(reason, message, null);
  }

  public KbsProtocolException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
