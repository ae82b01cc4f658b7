package dev.carapace.attestation.service.appraisal;

import dev.carapace.attestation.service.appraisal.AttestationException.Reason;
import dev.carapace.policy.Appraisal;
import dev.carapace.policy.AppraisalPolicy;
import dev.carapace.policy.DefaultPolicies;
import dev.carapace.policy.PolicyEvaluationException;
import dev.carapace.policy.PolicyParser;
import dev.carapace.policy.PolicyValidationException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@link PolicyEngine} over the {@code policies} module: YAML/JSON documents with CEL conditions
 * ({@link PolicyParser}), the shipped strict default ({@link DefaultPolicies}). Validation errors
 * keep the document line; evaluation errors fail the attestation (fail closed). Thread-safe.
 */
public final class CelPolicyEngine implements PolicyEngine {
  private final CompiledPolicy defaultPolicy = new Compiled(DefaultPolicies.appraisal());

  @Override
  public CompiledPolicy compile(String document) throws AttestationException {
    try {
      return new Compiled(PolicyParser.appraisal(document));
    } catch (PolicyValidationException e) {
      String where = e.path().isEmpty() ? "" : " at " + e.path();
      throw new AttestationException(Reason.INVALID_POLICY,
          e.reason().name() + where + ": " + e.detail(), e.line() > 0 ? e.line() : null, e);
    }
  }

  @Override
  public CompiledPolicy defaultPolicy() {
    return defaultPolicy;
  }

  @Override
  public String defaultDocument() {
    return DefaultPolicies.appraisalDocument();
  }

  private record Compiled(AppraisalPolicy policy) implements CompiledPolicy {
    Compiled {
      Objects.requireNonNull(policy, "policy");
    }

    @Override
    public String id() {
      return policy.id();
    }

    @Override
    public String version() {
      return policy.version();
    }

    @Override
    public String description() {
      return policy.description();
    }

    @Override
    public Outcome appraise(Map<String, Object> claims,
        Function<String, List<String>> referenceValues) throws AttestationException {
      try {
        Appraisal a = policy.appraise(claims, referenceValues::apply);
        return new Outcome(a.vector().toEarClaims(), a.status().earName(), a.reasons());
      } catch (PolicyEvaluationException e) {
        throw new AttestationException(Reason.POLICY_EVALUATION_FAILED,
            "policy " + policy.id() + " failed: " + e.getMessage(), null, e);
      }
    }
  }
}
