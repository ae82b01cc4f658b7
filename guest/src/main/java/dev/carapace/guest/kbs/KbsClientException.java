package dev.carapace.guest.kbs;

import dev.carapace.kbs.protocol.ErrorInformation;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A KBS interaction failed; {@link #reason()} says why and {@link #errorInformation()} carries
 * the KBS's own error body when it sent one. Messages never contain tokens, keys or secrets.
 */
public final class KbsClientException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the client gave up. */
  public enum Reason {
    /** The KBS speaks another protocol version (Trustee: "Protocol Version Mismatch"). */
    PROTOCOL_VERSION_MISMATCH,
    /** {@code /auth} or {@code /attest} was refused (after the RCAR retries). */
    ATTESTATION_REFUSED,
    /** The resource policy denied the resource (401 {@code PolicyDeny} after the retries). */
    POLICY_DENIED,
    /** The KBS kept answering 401 for another reason after re-attesting. */
    UNAUTHORIZED,
    /** 404: no such resource or plugin. Not retried. */
    RESOURCE_NOT_FOUND,
    /** Another HTTP status from the KBS. */
    KBS_INTERNAL_ERROR,
    /** The resource JWE does not decrypt with the TEE key. */
    DECRYPTION_FAILED,
    /** The attester produced no evidence. */
    ATTESTER_FAILED,
    /** The KBS could not be reached, timed out, or the call was interrupted. */
    TRANSPORT,
    /** The KBS answered with something that is not the protocol's message (or too large). */
    MALFORMED_RESPONSE
  }

  private final Reason reason;
  private final transient @Nullable ErrorInformation errorInformation;

  public KbsClientException(Reason reason, String message) {
    this(reason, message, null, null);
  }

  public KbsClientException(Reason reason, String message,
      @Nullable ErrorInformation errorInformation, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.errorInformation = errorInformation;
  }

  public Reason reason() {
    return reason;
  }

  /** The KBS's error body ({@code type}, {@code detail}), when the failure came with one. */
  public Optional<ErrorInformation> errorInformation() {
    return Optional.ofNullable(errorInformation);
  }
}
