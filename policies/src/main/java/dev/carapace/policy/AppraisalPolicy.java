package dev.carapace.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A compiled appraisal policy: maps the claims of verified evidence and the registered reference
 * values to an AR4SI trustworthiness vector and an EAR status. Obtain one from {@link
 * PolicyParser#appraisal} or {@link DefaultPolicies#appraisal()}.
 *
 * <p><b>Semantics.</b> For each trustworthiness claim the document lists, the rules are tried in
 * order and the {@code value} of the first whose {@code when} condition is true is assigned; if
 * none is true, the claim's {@code default} (or {@code 0}, "no claim", if it has none). Claims the
 * document does not list are {@code 0}. A condition that reads an absent claim is false (see the
 * module README), so rules must be written to affirm only on positive evidence: {@code
 * claims.tdx.td_attributes.debug == false}, not {@code !(claims.tdx.td_attributes.debug == true)}.
 *
 * <p><b>Input.</b> {@code claims} is the Trustee-style claims tree of one attester ({@code {"tdx":
 * {...}, "report_data": ..., "init_data": ..., "runtime_data_claims": {...}}}), available to
 * conditions as {@code claims}; reference values are available as {@code rv["<name>"]}, a list of
 * strings that {@link #appraise} fetches once per name from the given provider before evaluating.
 *
 * <p>Instances are immutable and thread-safe; {@link #appraise} is a pure function of its arguments
 * (no I/O, no clock).
 */
public final class AppraisalPolicy {

  /** One rule: when {@code when} holds, the claim is {@code value}. */
  record Rule(Condition when, int value, String reason) {}

  /** The rules of one trustworthiness claim. */
  record ClaimRules(
      TrustworthinessClaim claim, List<Rule> rules, int defaultValue, String defaultReason) {
    ClaimRules {
      rules = List.copyOf(rules);
    }
  }

  private final String id;
  private final String version;
  private final String description;
  private final List<ClaimRules> claimRules;
  private final Set<String> referenceValueNames;

  AppraisalPolicy(String id, String version, String description, List<ClaimRules> claimRules) {
    this.id = Objects.requireNonNull(id, "id");
    this.version = Objects.requireNonNull(version, "version");
    this.description = Objects.requireNonNull(description, "description");
    List<ClaimRules> sorted = new ArrayList<>(claimRules);
    sorted.sort((a, b) -> a.claim().compareTo(b.claim()));
    this.claimRules = List.copyOf(sorted);
    Set<String> names = new TreeSet<>();
    for (ClaimRules c : claimRules) {
      for (Rule r : c.rules()) {
        names.addAll(r.when().referenceValueNames());
      }
    }
    this.referenceValueNames = Collections.unmodifiableSet(names);
  }

  /** The policy id ({@code ear.appraisal-policy-id} of the results it produces). */
  public String id() {
    return id;
  }

  /** The document's version, as written. */
  public String version() {
    return version;
  }

  /** The document's description; empty if it has none. */
  public String description() {
    return description;
  }

  /**
   * The names of the reference values the policy reads ({@code rv["<name>"]}), sorted. Useful to
   * tell an operator which reference values to register.
   */
  public Set<String> referenceValueNames() {
    return referenceValueNames;
  }

  /**
   * Appraises one attester's claims.
   *
   * @param claims the claims tree of one attester; values must be strings, booleans, numbers,
   *     nulls, lists or string-keyed maps (see the module README for the names)
   * @param referenceValues the registered, unexpired reference values
   * @throws PolicyEvaluationException if {@code claims} is not such a tree or a condition fails at
   *     run time for a reason other than an absent claim; callers must then fail the attestation
   */
  public Appraisal appraise(Map<String, ?> claims, ReferenceValueProvider referenceValues)
      throws PolicyEvaluationException {
    Objects.requireNonNull(claims, "claims");
    Objects.requireNonNull(referenceValues, "referenceValues");
    Map<String, Object> normalized = ClaimsTree.normalize(claims);
    Map<String, List<String>> rv = new HashMap<>();
    for (String name : referenceValueNames) {
      List<String> values =
          Objects.requireNonNull(
              referenceValues.values(name), "ReferenceValueProvider returned null for a name");
      rv.put(name, List.copyOf(values));
    }
    Map<String, Object> variables = Map.of("claims", normalized, "rv", Map.copyOf(rv));

    Map<TrustworthinessClaim, Integer> vector = new EnumMap<>(TrustworthinessClaim.class);
    List<String> reasons = new ArrayList<>(claimRules.size());
    for (ClaimRules c : claimRules) {
      int value = c.defaultValue();
      String reason = c.defaultReason();
      for (Rule rule : c.rules()) {
        if (rule.when().test(variables)) {
          value = rule.value();
          reason = rule.reason();
          break;
        }
      }
      vector.put(c.claim(), value);
      reasons.add(c.claim().earName() + "=" + value + ": " + reason);
    }
    TrustworthinessVector v = TrustworthinessVector.of(vector);
    return new Appraisal(id, v, v.status(), reasons);
  }

  @Override
  public String toString() {
    return "AppraisalPolicy[id=" + id + ", version=" + version + "]";
  }
}
