package dev.carapace.snp.verify;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * A verified report does not meet the {@link ValidationOptions}. {@link #reason()} is stable and
 * names the first rule broken; the message says what was required and what was found.
 */
public final class ReportValidationException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** Which rule the report broke. */
  public enum Reason {
    /** The report was signed by a key kind (VCEK/VLEK) not in the allowed set. */
    SIGNER_NOT_ALLOWED,
    /** Policy allows debugging and debugging is not allowed. */
    DEBUG_NOT_ALLOWED,
    /** Policy allows SMT and SMT is not allowed. */
    SMT_NOT_ALLOWED,
    /** Policy allows a migration agent and none is allowed. */
    MIGRATION_AGENT_NOT_ALLOWED,
    /** Policy allows CXL and CXL is not allowed. */
    CXL_NOT_ALLOWED,
    /** Policy lacks SINGLE_SOCKET and it is required. */
    SINGLE_SOCKET_REQUIRED,
    /** Policy lacks MEM_AES_256_XTS and it is required. */
    MEM_AES_256_XTS_REQUIRED,
    /** Policy lacks RAPL_DIS and it is required. */
    RAPL_DISABLE_REQUIRED,
    /** Policy lacks CIPHERTEXT_HIDING_DRAM and it is required. */
    CIPHERTEXT_HIDING_REQUIRED,
    /** Policy lacks PAGE_SWAP_DISABLE and it is required. */
    PAGE_SWAP_DISABLE_REQUIRED,
    /** Policy ABI major.minor is below the minimum. */
    ABI_TOO_OLD,
    /** Current firmware API major.minor is below the minimum. */
    FIRMWARE_TOO_OLD,
    /** Current firmware build is below the minimum. */
    BUILD_TOO_OLD,
    /** GUEST_SVN is below the minimum. */
    GUEST_SVN_TOO_LOW,
    /** A component of REPORTED_TCB is below the minimum TCB. */
    TCB_TOO_LOW,
    /** A component of LAUNCH_TCB is below the minimum launch TCB. */
    LAUNCH_TCB_TOO_LOW,
    /** A component of the certified TCB is above CURRENT_TCB. */
    CERTIFIED_TCB_ABOVE_CURRENT,
    /** Committed TCB or firmware differs from current, and provisional firmware is not allowed. */
    PROVISIONAL_FIRMWARE,
    /** Committed TCB or firmware is above current (never valid). */
    COMMITTED_ABOVE_CURRENT,
    /** VMPL is not the required one. */
    VMPL_MISMATCH,
    REPORT_DATA_MISMATCH,
    HOST_DATA_MISMATCH,
    MEASUREMENT_MISMATCH,
    FAMILY_ID_MISMATCH,
    IMAGE_ID_MISMATCH,
    REPORT_ID_MISMATCH,
    REPORT_ID_MA_MISMATCH,
    CHIP_ID_MISMATCH,
    /** AUTHOR_KEY_EN is clear and an author key is required. */
    AUTHOR_KEY_REQUIRED,
    /** The author key digest is not a trusted one. */
    UNTRUSTED_AUTHOR_KEY,
    /** Neither the ID key digest nor (with AUTHOR_KEY_EN) the author key digest is trusted. */
    UNTRUSTED_ID_KEY,
    /** A PLATFORM_INFO bit that must be set is clear. */
    PLATFORM_INFO_BIT_MISSING,
    /** A PLATFORM_INFO bit that must be clear is set. */
    PLATFORM_INFO_BIT_FORBIDDEN,
    /** LAUNCH_MIT_VECTOR lacks a required mitigation bit. */
    LAUNCH_MITIGATION_MISSING,
    /** CURRENT_MIT_VECTOR lacks a required mitigation bit. */
    CURRENT_MITIGATION_MISSING,
  }

  private final Reason reason;

  public ReportValidationException(Reason reason, String message) {
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
