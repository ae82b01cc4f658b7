package dev.carapace.attestation.service.config;

import dev.carapace.attestation.service.appraisal.AttestationException;
import dev.carapace.attestation.service.appraisal.PolicyEngine;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/** Placeholder until the policies module is merged. */
@Component
class InterimPolicyEngine implements PolicyEngine {
  @Override
  public CompiledPolicy compile(String document) throws AttestationException {
    throw new AttestationException(AttestationException.Reason.INVALID_POLICY, "not yet");
  }

  @Override
  public CompiledPolicy defaultPolicy() {
    return new CompiledPolicy() {
      @Override
      public String id() {
        return "default";
      }

      @Override
      public String version() {
        return "0";
      }

      @Override
      public String description() {
        return "interim";
      }

      @Override
      public Outcome appraise(Map<String, Object> claims,
          Function<String, List<String>> referenceValues) {
        return new Outcome(Map.of("hardware", 2), "affirming", List.of());
      }
    };
  }

  @Override
  public String defaultDocument() {
    return "";
  }
}
