package dev.carapace.keybroker.token;

import dev.carapace.kbs.protocol.TeePublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An attestation token whose signature, issuer key and lifetime were checked: the resource-policy
 * claims of its primary attester ({@code cpu0}), the TEE key the guest bound into its evidence,
 * the appraisal reasons, and the expiry. Immutable.
 */
public record VerifiedAttestation(String tee, String status, Map<String, Object> policyClaims,
    TeePublicKey teeKey, List<String> appraisalReasons, Instant expiresAt) {
  public VerifiedAttestation {
    Objects.requireNonNull(tee, "tee");
    Objects.requireNonNull(status, "status");
    policyClaims = Map.copyOf(policyClaims);
    Objects.requireNonNull(teeKey, "teeKey");
    appraisalReasons = List.copyOf(appraisalReasons);
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
