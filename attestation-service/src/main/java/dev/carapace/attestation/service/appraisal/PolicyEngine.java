package dev.carapace.attestation.service.appraisal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The service's view of the appraisal-policy language: parse and validate documents, and appraise
 * claims with a parsed policy. Implemented over the {@code policies} module; kept as an interface
 * so that the web and store layers never see the policy library's types.
 */
public interface PolicyEngine {
  /**
   * Parses and validates an appraisal policy document (YAML or JSON).
   *
   * @throws AttestationException {@code INVALID_POLICY}, with the line when known
   */
  CompiledPolicy compile(String document) throws AttestationException;

  /** The built-in policy used for id {@code default} until one is uploaded. */
  CompiledPolicy defaultPolicy();

  /** The document text of {@link #defaultPolicy()}. */
  String defaultDocument();

  /** A parsed, validated appraisal policy. Implementations are immutable and thread-safe. */
  interface CompiledPolicy {
    String id();

    String version();

    String description();

    /**
     * Appraises {@code claims} (the annotated evidence: {@code tdx}/{@code snp}/{@code sample},
     * {@code report_data}, {@code init_data}, ...) with reference values from {@code
     * referenceValues} (name to unexpired values; empty when none).
     *
     * @throws AttestationException {@code POLICY_EVALUATION_FAILED}
     */
    Outcome appraise(Map<String, Object> claims, Function<String, List<String>> referenceValues)
        throws AttestationException;
  }

  /**
   * The appraisal of one attester.
   *
   * @param vector the eight AR4SI claims by EAR name ({@code instance-identity}, ...), in order
   * @param status the EAR status name ({@code affirming}, {@code warning}, {@code
   *     contraindicated}, {@code none})
   * @param reasons why, in the policy's words
   */
  record Outcome(Map<String, Integer> vector, String status, List<String> reasons) {
    public Outcome {
      vector = new LinkedHashMap<>(vector);
      Objects.requireNonNull(status, "status");
      reasons = List.copyOf(reasons);
    }
  }
}
