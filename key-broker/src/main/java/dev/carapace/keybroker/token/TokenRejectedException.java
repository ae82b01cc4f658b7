package dev.carapace.keybroker.token;

/** An attestation token that must not be honoured, with the reason. */
public final class TokenRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason { MALFORMED, UNKNOWN_KEY, BAD_SIGNATURE, EXPIRED, NO_TEE_KEY, UNAVAILABLE }

  private final Reason reason;

  public TokenRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public TokenRejectedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
