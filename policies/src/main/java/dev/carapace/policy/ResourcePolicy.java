package dev.carapace.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A compiled resource (key-release) policy: decides whether a key broker may release a resource to
 * an attester, from the claims of the attester's attestation result. Obtain one from {@link
 * PolicyParser#resource} or {@link DefaultPolicies#resource()}.
 *
 * <p><b>Semantics.</b> A rule applies to a request when each of its scope globs ({@code
 * repository}, {@code type}, {@code tag}; absent means {@code *}) matches the corresponding path
 * segment. The resource is released if the {@code allow} condition of some applicable rule is true
 * (rules are tried in order; the first true one decides). Otherwise the decision is {@link
 * PolicyDecision.Deny}, with one reason per applicable rule, or a single reason saying that no rule
 * applies: deny by default.
 *
 * <p><b>Input.</b> Conditions see {@code claims}, the attestation claims the key broker passes to
 * {@link #decide} (shape in the module README: {@code {"tee": "tdx", "ear": {"status": ...,
 * "trustworthiness_vector": {...}, "policy_id": ...}, "tdx": {...}, ...}}), and {@code request}, a
 * map with keys {@code repository}, {@code type} and {@code tag}. An absent claim makes a condition
 * false.
 *
 * <p>Instances are immutable and thread-safe; {@link #decide} is a pure function of its arguments.
 */
public final class ResourcePolicy {

  /** One rule: within its scope, release when {@code allow} holds. */
  record Rule(Glob repository, Glob type, Glob tag, Condition allow, String reason) {
    boolean applies(ResourceRequest request) {
      return repository.matches(request.repository())
          && type.matches(request.type())
          && tag.matches(request.tag());
    }
  }

  private final String id;
  private final String version;
  private final String description;
  private final List<Rule> rules;

  ResourcePolicy(String id, String version, String description, List<Rule> rules) {
    this.id = Objects.requireNonNull(id, "id");
    this.version = Objects.requireNonNull(version, "version");
    this.description = Objects.requireNonNull(description, "description");
    this.rules = List.copyOf(rules);
  }

  /** The policy id. */
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
   * Decides whether to release {@code request}.
   *
   * @param attestationClaims the claims of the requester's attestation result (see the class
   *     documentation); values must be strings, booleans, numbers, nulls, lists or string-keyed
   *     maps
   * @throws PolicyEvaluationException if the claims are not such a tree or a condition fails at run
   *     time for a reason other than an absent claim; callers must then deny
   */
  public PolicyDecision decide(ResourceRequest request, Map<String, ?> attestationClaims)
      throws PolicyEvaluationException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(attestationClaims, "attestationClaims");
    Map<String, Object> variables =
        Map.of(
            "claims",
            ClaimsTree.normalize(attestationClaims),
            "request",
            Map.of(
                "repository", request.repository(), "type", request.type(), "tag", request.tag()));
    List<String> reasons = new ArrayList<>();
    for (Rule rule : rules) {
      if (!rule.applies(request)) {
        continue;
      }
      if (rule.allow().test(variables)) {
        return new PolicyDecision.Allow();
      }
      reasons.add(rule.reason());
    }
    if (reasons.isEmpty()) {
      reasons.add("no rule of policy '" + id + "' applies to resource " + request.path());
    }
    return new PolicyDecision.Deny(reasons);
  }

  @Override
  public String toString() {
    return "ResourcePolicy[id=" + id + ", version=" + version + "]";
  }
}
