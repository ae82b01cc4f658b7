package dev.carapace.kbs.protocol;

/** A KBS protocol value that cannot be read, built or decrypted, with the reason. */
public final class KbsProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    /** Not JSON, or JSON of the wrong shape. */
    MALFORMED_MESSAGE,
    /** A {@code tee-pubkey} that is not a well-formed JWK of a supported kind. */
    MALFORMED_KEY,
    /** A key type, curve or algorithm the protocol does not support. */
    UNSUPPORTED_KEY,
    /** A JWE response whose members are missing, not base64url or of the wrong size. */
    MALFORMED_JWE,
    /** The JWE does not decrypt with the given key (wrong key, tampered ciphertext or header). */
    DECRYPTION_FAILED,
    /** The platform lacks an algorithm the protocol needs. */
    CRYPTO_UNAVAILABLE
  }

  private final Reason reason;

  public KbsProtocolException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public KbsProtocolException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
