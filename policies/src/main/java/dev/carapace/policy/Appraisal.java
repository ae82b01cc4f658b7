package dev.carapace.policy;

import java.util.List;
import java.util.Objects;

/**
 * The result of appraising one attester's claims with an {@link AppraisalPolicy}: what an EAR
 * submodule carries ({@code ear.appraisal-policy-id}, {@code ear.trustworthiness-vector}, {@code
 * ear.status}) plus human-readable reasons.
 *
 * @param policyId id of the policy that produced it ({@code ear.appraisal-policy-id})
 * @param vector the trustworthiness vector
 * @param status the EAR status; always {@code vector.status()}
 * @param reasons one line per trustworthiness claim the policy sets, in claim order, of the form
 *     {@code "hardware=2: TCB is up to date and debug is off"}; for logs and error details, never
 *     parsed
 */
public record Appraisal(
    String policyId, TrustworthinessVector vector, EarStatus status, List<String> reasons) {

  /**
   * Checks that {@code status} is the status of {@code vector} and copies {@code reasons}.
   *
   * @throws IllegalArgumentException if {@code status != vector.status()}
   */
  public Appraisal {
    Objects.requireNonNull(policyId, "policyId");
    Objects.requireNonNull(vector, "vector");
    Objects.requireNonNull(status, "status");
    reasons = List.copyOf(reasons);
    if (status != vector.status()) {
      throw new IllegalArgumentException(
          "status must be the vector's status " + vector.status() + ", found " + status);
    }
  }
}
