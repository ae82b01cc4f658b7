package dev.carapace.keybroker.attest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.attestation.service.appraisal.AppraisalService;
import dev.carapace.attestation.service.appraisal.AppraisalService.VerificationInput;
import dev.carapace.attestation.service.appraisal.AttestationException;
import dev.carapace.attestation.service.evidence.EvidenceException;
import dev.carapace.attestation.service.token.SigningKeys;
import dev.carapace.kbs.protocol.KbsJson;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;

/**
 * The attestation service in the broker's own process (the embedded default): the same
 * verification, appraisal and EAR signing as the standalone service, without a network hop.
 * Thread-safe.
 */
public final class BuiltInAttestor implements Attestor {
  private final AppraisalService appraisal;
  private final SigningKeys keys;
  private final String policyId;

  public BuiltInAttestor(AppraisalService appraisal, SigningKeys keys, String policyId) {
    this.appraisal = appraisal;
    this.keys = keys;
    this.policyId = policyId;
  }

  @Override
  public String attest(AttestationCall call) throws AttestationRefusedException {
    ObjectNode runtime = KbsJson.object();
    runtime.set("structured", call.structuredRuntimeData());
    ObjectNode init = null;
    if (call.initData() != null) {
      if (!"toml".equals(call.initData().format())) {
        throw new AttestationRefusedException("init-data format must be toml");
      }
      init = KbsJson.object();
      init.put("init_data_toml", call.initData().body());
    }
    VerificationInput input = new VerificationInput(call.tee(),
        Bytes.copyOf(KbsJson.write(call.primaryEvidence()).getBytes(StandardCharsets.UTF_8)),
        runtime, init, "sha384");
    try {
      return appraisal.attest(List.of(input), List.of(policyId)).jwt();
    } catch (AttestationException e) {
      throw new AttestationRefusedException(e.reason().name() + ": " + e.getMessage(), e);
    } catch (EvidenceException e) {
      throw new AttestationRefusedException(e.reason().name() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public JWKSet tokenKeys(boolean refresh) throws AttestationRefusedException {
    try {
      return JWKSet.parse(keys.jwksJson());
    } catch (ParseException e) {
      throw new AttestationRefusedException("the attestation service's keys are unreadable", e);
    }
  }
}
