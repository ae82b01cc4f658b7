package dev.carapace.attestation.service.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /attestation}, Trustee's REST {@code AttestationRequest}.
 *
 * @param verificationRequests one per attester; the first is {@code cpu0}
 * @param policyIds appraisal policies; the first is used, {@code default} when empty
 */
record AttestationRequest(
    @JsonProperty("verification_requests") @Nullable List<VerificationRequest> verificationRequests,
    @JsonProperty("policy_ids") @Nullable List<String> policyIds) {

  /**
   * One attester's evidence.
   *
   * @param tee {@code tdx}, {@code snp} or (dev mode) {@code sample}
   * @param evidence base64url (no padding; padding and standard base64 are tolerated) of the
   *     attester's JSON evidence
   * @param runtimeData {@code {"structured": {...}}} or {@code {"raw": "<base64url>"}}
   * @param initData {@code {"init_data_toml": "..."}} or {@code {"init_data_digest": "..."}}
   * @param runtimeDataHashAlgorithm sha256, sha384 (default) or sha512
   */
  record VerificationRequest(
      @JsonProperty("tee") @Nullable String tee,
      @JsonProperty("evidence") @Nullable String evidence,
      @JsonProperty("runtime_data") @Nullable JsonNode runtimeData,
      @JsonProperty("init_data") @Nullable JsonNode initData,
      @JsonProperty("runtime_data_hash_algorithm") @Nullable String runtimeDataHashAlgorithm) {}
}
