package dev.carapace.policy;

import dev.carapace.policy.DocumentNode.Field;
import dev.carapace.policy.DocumentNode.ListNode;
import dev.carapace.policy.DocumentNode.ScalarNode;
import dev.carapace.policy.PolicyValidationException.Reason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Parses, validates and compiles policy documents (YAML, or JSON when the document starts with
 * <code>{</code>). Validation is complete: a document is either rejected with the line, path and
 * {@link PolicyValidationException.Reason reason} of its first problem, or compiled into a policy
 * whose conditions all type-check. Unknown fields are rejected, never ignored.
 *
 * <p><b>Appraisal policy</b> ({@link #appraisal}):
 *
 * <pre>{@code
 * id: tdx-confidential-pod          # required: [A-Za-z0-9][A-Za-z0-9._-]{0,127}
 * version: "1.0"                    # required: string or number, kept as written
 * description: TDX pods we trust    # optional
 * trustworthiness:                  # required: at least one AR4SI claim name
 *   hardware:                       # instance-identity, configuration, executables, file-system,
 *     rules:                        #   hardware, runtime-opaque, storage-opaque, sourced-data
 *       - when: claims.tdx.td_attributes.debug == true   # CEL, bool; sees claims and rv
 *         value: 97                                      # -128..127
 *         reason: TD debug mode is enabled               # optional
 *     default:                      # optional; without it the claim is 0 when no rule holds
 *       value: 97
 *       reason: TCB status not recognized                # optional
 * }</pre>
 *
 * Each listed claim needs {@code rules} (non-empty), {@code default}, or both.
 *
 * <p><b>Resource policy</b> ({@link #resource}):
 *
 * <pre>{@code
 * id: model-keys
 * version: 1
 * description: Release model keys to affirmed TDX pods
 * rules:                            # required, non-empty; tried in order
 *   - scope:                        # optional; each glob optional ("*", "?"), default "*"
 *       repository: models
 *       type: key
 *       tag: "llama-*"
 *     allow: claims.ear.status == "affirming" && claims.tee == "tdx"   # CEL; claims, request
 *     reason: only affirmed TDX pods get model keys                   # optional; used in Deny
 * }</pre>
 *
 * <p>The parser is stateless and thread-safe.
 */
public final class PolicyParser {

  /** The largest document accepted, in characters (256 KiB). */
  public static final int MAX_DOCUMENT_CHARS = 256 * 1024;

  private static final Set<String> APPRAISAL_FIELDS =
      Set.of("id", "version", "description", "trustworthiness");
  private static final Set<String> CLAIM_FIELDS = Set.of("rules", "default");
  private static final Set<String> APPRAISAL_RULE_FIELDS = Set.of("when", "value", "reason");
  private static final Set<String> DEFAULT_FIELDS = Set.of("value", "reason");
  private static final Set<String> RESOURCE_FIELDS =
      Set.of("id", "version", "description", "rules");
  private static final Set<String> RESOURCE_RULE_FIELDS = Set.of("scope", "allow", "reason");
  private static final Set<String> SCOPE_FIELDS = Set.of("repository", "type", "tag");

  private PolicyParser() {}

  /**
   * Parses and compiles an appraisal policy document.
   *
   * @throws PolicyValidationException if the document is malformed, does not follow the schema
   *     above, or has a condition that does not parse or type-check
   */
  public static AppraisalPolicy appraisal(String document) throws PolicyValidationException {
    Objects.requireNonNull(document, "document");
    Fields root = Fields.of(DocumentReader.read(document), "", APPRAISAL_FIELDS);
    String id = root.requiredId("id");
    String version = root.requiredVersion("version");
    String description = description(root);
    DocumentNode claimsNode = root.required("trustworthiness");
    Fields claims = Fields.of(claimsNode, "trustworthiness", claimNames());
    if (claims.entries().isEmpty()) {
      throw new PolicyValidationException(
          Reason.INVALID_VALUE,
          claimsNode.line(),
          "trustworthiness",
          "a policy must set at least one trustworthiness claim");
    }
    List<AppraisalPolicy.ClaimRules> rules = new ArrayList<>();
    for (Field field : claims.entries()) {
      TrustworthinessClaim claim =
          TrustworthinessClaim.fromEarName(field.key()).orElseThrow(IllegalStateException::new);
      rules.add(claimRules(claim, field, claims.path(field.key())));
    }
    return new AppraisalPolicy(id, version, description, rules);
  }

  /**
   * Parses and compiles a resource (key-release) policy document.
   *
   * @throws PolicyValidationException if the document is malformed, does not follow the schema
   *     above, or has a condition that does not parse or type-check
   */
  public static ResourcePolicy resource(String document) throws PolicyValidationException {
    Objects.requireNonNull(document, "document");
    Fields root = Fields.of(DocumentReader.read(document), "", RESOURCE_FIELDS);
    String id = root.requiredId("id");
    String version = root.requiredVersion("version");
    String description = description(root);
    ListNode list = root.requiredList("rules");
    if (list.items().isEmpty()) {
      throw new PolicyValidationException(
          Reason.INVALID_VALUE, list.line(), "rules", "a policy needs at least one rule");
    }
    List<ResourcePolicy.Rule> rules = new ArrayList<>();
    for (int i = 0; i < list.items().size(); i++) {
      rules.add(resourceRule(list.items().get(i), "rules[" + i + "]", i + 1));
    }
    return new ResourcePolicy(id, version, description, rules);
  }

  private static AppraisalPolicy.ClaimRules claimRules(
      TrustworthinessClaim claim, Field field, String path) throws PolicyValidationException {
    Fields fields = Fields.of(field.value(), path, CLAIM_FIELDS);
    Optional<ListNode> list = fields.optionalList("rules");
    Optional<DocumentNode> defaultNode = fields.get("default");
    if (list.isEmpty() && defaultNode.isEmpty()) {
      throw new PolicyValidationException(
          Reason.MISSING_FIELD, field.line(), path, "a claim needs 'rules', 'default' or both");
    }
    List<AppraisalPolicy.Rule> rules = new ArrayList<>();
    if (list.isPresent()) {
      if (list.get().items().isEmpty()) {
        throw new PolicyValidationException(
            Reason.INVALID_VALUE, list.get().line(), fields.path("rules"), "'rules' is empty");
      }
      for (int i = 0; i < list.get().items().size(); i++) {
        String rulePath = fields.path("rules") + "[" + i + "]";
        Fields rule = Fields.of(list.get().items().get(i), rulePath, APPRAISAL_RULE_FIELDS);
        Condition when =
            ConditionCompiler.APPRAISAL.compile(rule.requiredCondition("when"), rule.path("when"));
        int value = rule.requiredInt("value", -128, 127);
        String reason =
            rule.optionalString("reason")
                .map(ScalarNode::text)
                .orElse("rule " + (i + 1) + " holds: " + when.summary());
        rules.add(new AppraisalPolicy.Rule(when, value, reason));
      }
    }
    int defaultValue = 0;
    String defaultReason = "no rule holds";
    if (defaultNode.isPresent()) {
      Fields d = Fields.of(defaultNode.get(), fields.path("default"), DEFAULT_FIELDS);
      defaultValue = d.requiredInt("value", -128, 127);
      defaultReason =
          d.optionalString("reason").map(ScalarNode::text).orElse("no rule holds (default)");
    }
    return new AppraisalPolicy.ClaimRules(claim, rules, defaultValue, defaultReason);
  }

  private static ResourcePolicy.Rule resourceRule(DocumentNode node, String path, int number)
      throws PolicyValidationException {
    Fields rule = Fields.of(node, path, RESOURCE_RULE_FIELDS);
    Glob repository = Glob.ANY;
    Glob type = Glob.ANY;
    Glob tag = Glob.ANY;
    Optional<DocumentNode> scopeNode = rule.get("scope");
    if (scopeNode.isPresent()) {
      Fields scope = Fields.of(scopeNode.get(), rule.path("scope"), SCOPE_FIELDS);
      repository = glob(scope, "repository");
      type = glob(scope, "type");
      tag = glob(scope, "tag");
    }
    Condition allow =
        ConditionCompiler.RESOURCE.compile(rule.requiredCondition("allow"), rule.path("allow"));
    String scopeText = repository + "/" + type + "/" + tag;
    String reason =
        rule.optionalString("reason")
            .map(ScalarNode::text)
            .orElse("rule " + number + " (" + scopeText + ") does not allow: " + allow.summary());
    return new ResourcePolicy.Rule(repository, type, tag, allow, reason);
  }

  private static Glob glob(Fields scope, String key) throws PolicyValidationException {
    Optional<ScalarNode> pattern = scope.optionalString(key);
    if (pattern.isEmpty()) {
      return Glob.ANY;
    }
    String text = pattern.get().text();
    if (text.isEmpty() || text.indexOf('/') >= 0) {
      throw new PolicyValidationException(
          Reason.INVALID_VALUE,
          pattern.get().line(),
          scope.path(key),
          "a scope glob must be a non-empty path segment without '/'");
    }
    return Glob.of(text);
  }

  private static String description(Fields root) throws PolicyValidationException {
    return root.optionalString("description").map(ScalarNode::text).orElse("");
  }

  private static Set<String> claimNames() {
    Set<String> names = new HashSet<>();
    for (TrustworthinessClaim claim : TrustworthinessClaim.values()) {
      names.add(claim.earName());
    }
    return names;
  }
}
