package dev.carapace.snp.report;

import java.util.Objects;

/**
 * Thrown when bytes are not a well-formed SEV-SNP attestation report. The {@link Reason} says
 * which rule was broken; the message says what was expected and what was found, never the report.
 */
public final class ReportParseException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why parsing failed. Stable: tests and callers switch on it. */
  public enum Reason {
    /** Fewer than 1184 bytes. */
    TRUNCATED,
    /** More than 1184 bytes (extended-report certificate tables are passed separately). */
    OVERSIZED,
    /** VERSION is not 2 to 5. */
    UNSUPPORTED_VERSION,
    /** SIGNATURE_ALGO is not 1 (ECDSA P-384 with SHA-384). */
    UNSUPPORTED_SIGNATURE_ALGORITHM,
    /** POLICY bit 17 is clear or a bit in 63:26 is set. */
    INVALID_POLICY,
    /** SIGNER_INFO has reserved bits set or a reserved signing-key code (2 to 6). */
    INVALID_SIGNER_INFO,
    /** VMPL is not 0 to 3. */
    INVALID_VMPL,
    /** A reserved (must-be-zero) byte range of this version's layout is not zero. */
    RESERVED_NOT_ZERO,
    /** The CPUID family/model of a v3+ report names no known product, and none was given. */
    UNKNOWN_PRODUCT,
    /** The CPUID family/model of a v3+ report names another product than the one given. */
    PRODUCT_MISMATCH,
  }

  private final Reason reason;

  public ReportParseException(Reason reason, String message) {
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
