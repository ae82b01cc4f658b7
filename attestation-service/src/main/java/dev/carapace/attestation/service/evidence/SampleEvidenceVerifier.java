package dev.carapace.attestation.service.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.attestation.service.evidence.EvidenceException.Reason;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Trustee's {@code sample} TEE, for tests without hardware, and nothing more: evidence {@code
 * {"svn": "1", "report_data": "<standard base64>"}}, no signature at all, report data compared
 * exactly (no padding), init data not bound; fixed claims {@code launch_digest "abcde"}, {@code
 * platform_version {major 1, minor 4}}, {@code debug false}. It proves nothing, so the service
 * offers it only in dev mode, and its tokens carry a {@code sample} claim that relying parties
 * can refuse. Thread-safe.
 */
public final class SampleEvidenceVerifier implements EvidenceVerifier {
  private final ObjectMapper mapper;

  SampleEvidenceVerifier(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  @Override
  public String tee() {
    return "sample";
  }

  @Override
  public VerifiedEvidence verify(byte[] evidence) throws EvidenceException {
    ObjectNode json = EvidenceJson.object(mapper, evidence, "sample");
    String svn = EvidenceJson.text(json, "svn", "sample");
    JsonNode rd = json.get("report_data");
    Bytes reportData = Bytes.empty();
    if (rd != null && !rd.isNull()) {
      if (!rd.isTextual()) {
        throw new EvidenceException(Reason.MALFORMED_EVIDENCE, "report_data must be a string");
      }
      try {
        reportData = Bytes.copyOf(Base64.getDecoder().decode(rd.asText()));
      } catch (IllegalArgumentException e) {
        throw new EvidenceException(Reason.MALFORMED_EVIDENCE, null,
            "sample report_data is not standard base64", e);
      }
    }
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("svn", svn);
    claims.put("launch_digest", "abcde");
    Map<String, Object> platform = new LinkedHashMap<>();
    platform.put("major", 1);
    platform.put("minor", 4);
    claims.put("platform_version", platform);
    claims.put("debug", false);
    return new VerifiedEvidence("sample", claims, reportData, null, true);
  }
}
