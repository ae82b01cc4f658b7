package dev.carapace.tdx.quote;

import java.util.Objects;

/**
 * Thrown when bytes are not a well-formed TDX quote or TDREPORT. The {@link Reason} says which
 * rule was broken; the message says what was expected and what was found, never the quote itself.
 */
public final class QuoteParseException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why parsing failed. Stable: tests and callers switch on it. */
  public enum Reason {
    /** The input ends before a field that its length fields promise. */
    TRUNCATED,
    /** A length field claims more than the format allows. */
    OVERSIZED,
    /** Header version is not 4 or 5. */
    UNSUPPORTED_VERSION,
    /** Attestation key type is not 2 (ECDSA-256-with-P-256). */
    UNSUPPORTED_ATTESTATION_KEY_TYPE,
    /** TEE type is not 0x81 (TDX). */
    UNSUPPORTED_TEE_TYPE,
    /** A v5 body descriptor names an unknown body type or a size that does not match it. */
    UNSUPPORTED_BODY_TYPE,
    /** A certification-data type other than the one the format requires at that place. */
    UNSUPPORTED_CERTIFICATION_DATA_TYPE,
    /** Nested lengths do not add up to the enclosing length. */
    SIZE_MISMATCH,
  }

  private final Reason reason;

  public QuoteParseException(Reason reason, String message) {
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
