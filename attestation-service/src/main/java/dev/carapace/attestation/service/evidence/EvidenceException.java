package dev.carapace.attestation.service.evidence;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Evidence failed verification. {@link #reason()} is stable (it selects the problem type of the
 * HTTP answer); {@link #verifierReason()} is the underlying library's reason name when there is
 * one (for example {@code QUOTE_SIGNATURE_INVALID}). Messages never contain the evidence.
 */
public final class EvidenceException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the evidence was rejected. */
  public enum Reason {
    /** The evidence is not the attester's JSON, or its quote or report is malformed. */
    MALFORMED_EVIDENCE,
    /** A chain ends in an untrusted root (for example a development root without dev mode). */
    UNTRUSTED_ROOT,
    /** A quote, report or QE report signature does not verify. */
    SIGNATURE_INVALID,
    /** A certificate of the chain is malformed, expired, revoked or wrongly signed. */
    CERTIFICATE_INVALID,
    /** The platform's TCB level is revoked. */
    TCB_REVOKED,
    /** The platform's TCB or TDX module matches no level of the collateral. */
    TCB_UNRECOGNIZED,
    /** No collateral (TCB Info, QE Identity, CRLs) or VCEK could be obtained. */
    COLLATERAL_UNAVAILABLE,
    /** The collateral is expired, wrongly signed or for another platform. */
    COLLATERAL_INVALID,
    /** The CC event log does not replay to the quote's RTMRs. */
    EVENT_LOG_MISMATCH,
    /** The report is from a VMPL other than 0 (SEV-SNP). */
    VMPL_NOT_ZERO,
  }

  private final Reason reason;
  private final @Nullable String verifierReason;

  public EvidenceException(Reason reason, String message) {
    this(reason, null, message, null);
  }

  public EvidenceException(Reason reason, @Nullable String verifierReason, String message,
      @Nullable Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.verifierReason = verifierReason;
  }

  public Reason reason() {
    return reason;
  }

  /** The verifying library's own reason code, when the failure came from one. */
  public @Nullable String verifierReason() {
    return verifierReason;
  }
}
