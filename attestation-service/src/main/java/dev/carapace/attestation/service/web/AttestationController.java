package dev.carapace.attestation.service.web;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.attestation.service.appraisal.AppraisalService;
import dev.carapace.attestation.service.appraisal.AppraisalService.VerificationInput;
import dev.carapace.attestation.service.appraisal.AttestationException;
import dev.carapace.attestation.service.appraisal.AttestationException.Reason;
import dev.carapace.attestation.service.evidence.EvidenceException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /attestation}: Trustee's REST attestation API. The answer is the EAR JWT itself as
 * {@code text/plain}, as Trustee's; failures are problem details.
 */
@RestController
public class AttestationController {
  /** Most verification requests in one call (one per attester of a machine). */
  static final int MAX_REQUESTS = 16;

  private final AppraisalService appraisal;

  public AttestationController(AppraisalService appraisal) {
    this.appraisal = Objects.requireNonNull(appraisal, "appraisal");
  }

  @PostMapping(path = "/attestation", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<String> attest(@RequestBody AttestationRequest body)
      throws AttestationException, EvidenceException {
    List<AttestationRequest.VerificationRequest> requests = body.verificationRequests();
    if (requests == null || requests.isEmpty()) {
      throw malformed("verification_requests must hold at least one request");
    }
    if (requests.size() > MAX_REQUESTS) {
      throw malformed("at most " + MAX_REQUESTS + " verification requests per call");
    }
    List<VerificationInput> inputs = new ArrayList<>(requests.size());
    for (AttestationRequest.VerificationRequest r : requests) {
      if (r == null || r.tee() == null || r.evidence() == null) {
        throw malformed("each verification request needs \"tee\" and \"evidence\" strings");
      }
      inputs.add(new VerificationInput(r.tee(), Bytes.copyOf(decode(r.evidence())),
          r.runtimeData(), r.initData(), r.runtimeDataHashAlgorithm()));
    }
    List<String> policyIds = body.policyIds() == null ? List.of() : body.policyIds();
    String jwt = appraisal.attest(inputs, policyIds).jwt();
    return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(jwt);
  }

  /** base64url without padding as Trustee sends it; padding and standard base64 tolerated. */
  private static byte[] decode(String evidence) throws AttestationException {
    String s = evidence.strip();
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    s = s.substring(0, end);
    try {
      return (s.indexOf('+') >= 0 || s.indexOf('/') >= 0 ? Base64.getDecoder()
          : Base64.getUrlDecoder()).decode(s);
    } catch (IllegalArgumentException e) {
      throw malformed("evidence must be base64url");
    }
  }

  private static AttestationException malformed(String message) {
    return new AttestationException(Reason.MALFORMED_REQUEST, message);
  }
}
