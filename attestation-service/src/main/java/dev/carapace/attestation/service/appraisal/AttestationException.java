package dev.carapace.attestation.service.appraisal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An attestation or administration request was refused for a reason other than the evidence
 * itself ({@code EvidenceException} covers that). {@link #reason()} is stable: it selects the
 * problem type of the HTTP answer.
 */
public final class AttestationException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the request was refused. */
  public enum Reason {
    /** The request body is not the documented JSON. */
    MALFORMED_REQUEST,
    /** The {@code tee} is unknown or not enabled (sample outside dev mode). */
    UNSUPPORTED_TEE,
    /**
     * runtime_data is neither {@code {"structured": {...}}} nor {@code {"raw": "..."}}, or the
     * hash algorithm is unknown.
     */
    INVALID_RUNTIME_DATA,
    /** init_data is malformed (not TOML with a known algorithm, or a bad digest). */
    INVALID_INIT_DATA,
    /** The hardware report data is not the (padded) digest of the runtime data. */
    REPORT_DATA_MISMATCH,
    /** MRCONFIGID / HOST_DATA is not the (padded or truncated) digest of the init data. */
    INIT_DATA_MISMATCH,
    /** A challenge nonce is required and none was given. */
    CHALLENGE_REQUIRED,
    /** The nonce was not issued by this service, has expired or was already used. */
    CHALLENGE_INVALID,
    /** Too many challenges are outstanding. */
    CHALLENGE_CAPACITY,
    /** The named policy does not exist. */
    POLICY_NOT_FOUND,
    /** The policy document is invalid (unknown field, CEL type error, ...). */
    INVALID_POLICY,
    /** The policy failed while evaluating the claims. */
    POLICY_EVALUATION_FAILED,
    /** No reference value with that name. */
    REFERENCE_VALUE_NOT_FOUND,
    /** A reference value registration is malformed. */
    INVALID_REFERENCE_VALUE,
  }

  private final Reason reason;
  private final @Nullable Integer line;

  public AttestationException(Reason reason, String message) {
    this(reason, message, null, null);
  }

  public AttestationException(Reason reason, String message, @Nullable Integer line,
      @Nullable Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.line = line;
  }

  public Reason reason() {
    return reason;
  }

  /** For {@link Reason#INVALID_POLICY}: the 1-based line of the document at fault, if known. */
  public @Nullable Integer line() {
    return line;
  }
}
