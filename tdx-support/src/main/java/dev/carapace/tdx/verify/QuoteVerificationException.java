package dev.carapace.tdx.verify;

import java.security.GeneralSecurityException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A quote, its certificates or its collateral failed verification. {@link #reason()} is stable
 * and is what callers and tests act on; the message says what was expected and what was found.
 * Messages never contain the quote, keys or tokens.
 */
public final class QuoteVerificationException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** Why verification failed. */
  public enum Reason {
    /** The QE vendor ID is not Intel's. */
    UNSUPPORTED_QE_VENDOR,
    /** The PCK chain is not three well-formed PEM certificates with the expected names. */
    PCK_CHAIN_MALFORMED,
    /** A certificate signature in the PCK chain or a collateral issuer chain does not verify. */
    CERTIFICATE_SIGNATURE_INVALID,
    /** A chain ends in a root that is not one of the configured trust anchors. */
    UNTRUSTED_ROOT,
    /** A certificate is outside its validity period at the verification time. */
    CERTIFICATE_EXPIRED,
    /** A certificate is listed on its issuer's CRL. */
    CERTIFICATE_REVOKED,
    /** The PCK certificate's SGX extension is missing or malformed. */
    PCK_EXTENSIONS_MALFORMED,
    /** The QE report signature by the PCK key does not verify. */
    QE_REPORT_SIGNATURE_INVALID,
    /** QE report data is not SHA-256(attestation key ‖ QE auth data) ‖ zeros. */
    QE_REPORT_DATA_MISMATCH,
    /** The attestation key is not a valid P-256 point. */
    ATTESTATION_KEY_INVALID,
    /** The quote signature by the attestation key does not verify. */
    QUOTE_SIGNATURE_INVALID,
    /** No collateral could be obtained from the configured source. */
    COLLATERAL_UNAVAILABLE,
    /** A collateral issuer chain is malformed or has the wrong names. */
    COLLATERAL_CHAIN_MALFORMED,
    /** A CRL has the wrong issuer or a signature that does not verify. */
    CRL_INVALID,
    /** A CRL's nextUpdate is before the verification time. */
    CRL_EXPIRED,
    /** The TCB Info signature does not verify. */
    TCB_INFO_SIGNATURE_INVALID,
    /** TCB Info is not TDX TCB Info v3 or is internally inconsistent. */
    TCB_INFO_INVALID,
    /** TCB Info is outside [issueDate, nextUpdate] at the verification time. */
    TCB_INFO_EXPIRED,
    /** TCB Info FMSPC differs from the PCK certificate's. */
    FMSPC_MISMATCH,
    /** TCB Info PCE ID differs from the PCK certificate's. */
    PCEID_MISMATCH,
    /** MRSIGNERSEAM or SEAM attributes differ from the expected TDX module identity. */
    TDX_MODULE_MISMATCH,
    /** TCB Info has no TDX module identity for the quote's module version. */
    TDX_MODULE_IDENTITY_NOT_FOUND,
    /** No TCB level of TCB Info matches the platform (Intel: TCB not supported). */
    TCB_LEVEL_NOT_FOUND,
    /** The platform, TDX module or QE TCB level is Revoked. */
    TCB_REVOKED,
    /** The QE Identity signature does not verify. */
    QE_IDENTITY_SIGNATURE_INVALID,
    /** QE Identity is not TD_QE v2 or is outside [issueDate, nextUpdate]. */
    QE_IDENTITY_INVALID,
    /** QE Identity is outside [issueDate, nextUpdate] at the verification time. */
    QE_IDENTITY_EXPIRED,
    /** The QE report does not match QE Identity (MISCSELECT, attributes, MRSIGNER, ISVPRODID). */
    QE_IDENTITY_MISMATCH,
    /** No QE TCB level matches the QE's ISVSVN. */
    QE_TCB_LEVEL_NOT_FOUND,
  }

  private final Reason reason;

  public QuoteVerificationException(Reason reason, String message) {
    this(reason, message, null);
  }

  public QuoteVerificationException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
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
