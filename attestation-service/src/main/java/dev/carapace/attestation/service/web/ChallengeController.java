package dev.carapace.attestation.service.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.carapace.attestation.service.appraisal.AttestationException;
import dev.carapace.attestation.service.appraisal.NonceStore;
import java.util.Objects;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /challenge}: a fresh nonce for the TEE to bind into its runtime data ({@code
 * {"nonce": ...}} of the structured runtime data). A body (Trustee sends {@code {"tee": ...,
 * "tee_params": ...}}) is accepted and ignored.
 */
@RestController
public class ChallengeController {
  /** The answer. */
  record ChallengeResponse(@JsonProperty("nonce") String nonce,
      @JsonProperty("expires_at") String expiresAt) {}

  private final NonceStore nonces;

  public ChallengeController(NonceStore nonces) {
    this.nonces = Objects.requireNonNull(nonces, "nonces");
  }

  @PostMapping("/challenge")
  public ChallengeResponse challenge() throws AttestationException {
    NonceStore.Challenge c = nonces.issue();
    return new ChallengeResponse(c.nonce(), c.expiresAt().toString());
  }
}
