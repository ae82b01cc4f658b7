package dev.carapace.attestation.service.evidence;

import dev.carapace.attestation.model.Bytes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Evidence whose signatures and endorsements verified, as claims for the policy and the raw
 * fields the bindings are checked against. Created only by the {@link EvidenceVerifier}s here.
 *
 * @param tee the TEE name ({@code tdx}, {@code snp}, {@code sample}), also the claims' key
 * @param claims the TEE's claims (Trustee-style names, byte fields as lower-case hex), without
 *     {@code report_data} and {@code init_data}, which the appraisal adds at the top level
 * @param reportData the hardware report-data field (TDX/SNP: 64 bytes)
 * @param initData the field bound to init-data (TDX MRCONFIGID, SNP HOST_DATA), if the TEE has
 *     one
 * @param exactReportData compare report data without padding or truncation (Trustee's sample
 *     TEE); otherwise the expected value is zero-padded or truncated to the field's size
 */
public record VerifiedEvidence(
    String tee,
    Map<String, Object> claims,
    Bytes reportData,
    @Nullable Bytes initData,
    boolean exactReportData) {
  public VerifiedEvidence {
    Objects.requireNonNull(tee, "tee");
    claims = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(claims));
    Objects.requireNonNull(reportData, "reportData");
  }

  public Optional<Bytes> initDataValue() {
    return Optional.ofNullable(initData);
  }
}
