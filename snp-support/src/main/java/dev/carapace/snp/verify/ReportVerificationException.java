package dev.carapace.snp.verify;

import java.security.GeneralSecurityException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A report or its certificates failed verification. {@link #reason()} is stable and is what
 * callers and tests act on; the message says what was expected and what was found. Messages never
 * contain report data, keys or signatures.
 */
public final class ReportVerificationException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** Why verification failed. */
  public enum Reason {
    /** The report's SIGNING_KEY is NONE: it is not signed. */
    UNSUPPORTED_SIGNING_KEY,
    /** The report says VCEK but the certificate is a VLEK (or the other way round). */
    SIGNER_MISMATCH,
    /** A certificate or CRL cannot be decoded, or is not the profile AMD issues (X.509 version,
     * RSASSA-PSS SHA-384 signature algorithm, ECDSA P-384 key, CA flags). */
    CERTIFICATE_MALFORMED,
    /** A certificate's subject or issuer is not the AMD name expected at its place. */
    CERTIFICATE_NAME_INVALID,
    /** The VCEK/VLEK extensions are missing or malformed. */
    EXTENSIONS_MALFORMED,
    /** The certificate names no known product (productName). */
    UNKNOWN_PRODUCT,
    /** The report's product (CPUID) differs from the certificate's productName. */
    PRODUCT_MISMATCH,
    /** No trusted roots are configured for the product (or no ASVK, for a VLEK), or the
     * VCEK/VLEK names an issuer other than the trusted ASK/ASVK (for example a development one). */
    UNTRUSTED_ROOT,
    /** A certificate's signature does not verify under its issuer's key. */
    CERTIFICATE_SIGNATURE_INVALID,
    /** A certificate is outside its validity period at the verification time. */
    CERTIFICATE_EXPIRED,
    /** The ASK or ASVK is listed on the ARK's CRL. */
    CERTIFICATE_REVOKED,
    /** The CRL is not issued by the ARK or its signature does not verify. */
    CRL_INVALID,
    /** The CRL is outside [thisUpdate, nextUpdate] at the verification time. */
    CRL_EXPIRED,
    /** REPORTED_TCB differs from the TCB in the VCEK/VLEK. */
    TCB_MISMATCH,
    /** CHIP_ID (not masked) differs from the VCEK's hwID. */
    CHIP_ID_MISMATCH,
    /** The report signature does not verify under the VCEK/VLEK key. */
    SIGNATURE_INVALID,
  }

  private final Reason reason;

  public ReportVerificationException(Reason reason, String message) {
    this(reason, message, null);
  }

  public ReportVerificationException(Reason reason, String message, @Nullable Throwable cause) {
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
