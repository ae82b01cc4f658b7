package dev.carapace.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.carapace.policy.PolicyValidationException.Reason;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

  private static final String VALID_APPRAISAL =
      """
      id: tdx-test
      version: 1.0
      description: test policy
      trustworthiness:
        hardware:
          rules:
            - when: claims.tdx.tcb_status == "UpToDate"
              value: 2
              reason: up to date
          default:
            value: 97
        executables:
          rules:
            - when: claims.tdx.quote.body.mr_td in rv["tdx.mr_td"]
              value: 3
      """;

  private static PolicyValidationException appraisalError(String document) {
    return catchThrowableOfType(
        PolicyValidationException.class, () -> PolicyParser.appraisal(document));
  }

  private static PolicyValidationException resourceError(String document) {
    return catchThrowableOfType(
        PolicyValidationException.class, () -> PolicyParser.resource(document));
  }

  @Test
  void appraisalWhenValidYamlThenCompiled() throws Exception {
    AppraisalPolicy policy = PolicyParser.appraisal(VALID_APPRAISAL);

    assertThat(policy.id()).isEqualTo("tdx-test");
    assertThat(policy.version()).isEqualTo("1.0");
    assertThat(policy.description()).isEqualTo("test policy");
    assertThat(policy.referenceValueNames()).containsExactly("tdx.mr_td");
  }

  @Test
  void appraisalWhenValidJsonThenCompiled() throws Exception {
    String json =
        """
        {
          "id": "json-policy",
          "version": "2",
          "trustworthiness": {
            "hardware": {"rules": [{"when": "claims.tdx.tcb_status == 'UpToDate'", "value": 2}]}
          }
        }
        """;

    AppraisalPolicy policy = PolicyParser.appraisal(json);

    assertThat(policy.id()).isEqualTo("json-policy");
    assertThat(policy.description()).isEmpty();
  }

  @Test
  void appraisalWhenUnknownTopLevelFieldThenRejectedWithLine() {
    PolicyValidationException e = appraisalError(VALID_APPRAISAL + "kind: appraisal\n");

    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_FIELD);
    assertThat(e.line()).isEqualTo(16);
    assertThat(e.path()).isEqualTo("kind");
  }

  @Test
  void appraisalWhenMisspeltRuleFieldThenRejectedWithLine() {
    PolicyValidationException e =
        appraisalError(
            VALID_APPRAISAL.replace("      reason: up to date", "      reasn: up to date"));

    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_FIELD);
    assertThat(e.line()).isEqualTo(9);
    assertThat(e.path()).isEqualTo("trustworthiness.hardware.rules[0].reasn");
    assertThat(e.getMessage()).contains("line 9").contains("reasn");
  }

  @Test
  void appraisalWhenUnknownClaimNameThenRejectedWithLine() {
    PolicyValidationException e =
        appraisalError(VALID_APPRAISAL.replace("  executables:", "  executable:"));

    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_FIELD);
    assertThat(e.line()).isEqualTo(12);
  }

  @Test
  void appraisalWhenCelSyntaxErrorThenRejectedWithLine() {
    PolicyValidationException e =
        appraisalError(VALID_APPRAISAL.replace("\"UpToDate\"", "\"UpToDate\" &&"));

    assertThat(e.reason()).isEqualTo(Reason.EXPRESSION_SYNTAX);
    assertThat(e.line()).isEqualTo(7);
    assertThat(e.path()).isEqualTo("trustworthiness.hardware.rules[0].when");
  }

  @Test
  void appraisalWhenCelSyntaxErrorInBlockScalarThenLineOfTheBadExpressionLine() {
    String document =
        """
        id: block
        version: "1"
        trustworthiness:
          hardware:
            rules:
              - when: |
                  claims.tdx.tcb_status == "UpToDate"
                    && claims.tdx.td_attributes.debug == false
                    && claims.tdx.quote.body.mr_td in in rv["tdx.mr_td"]
                value: 2
        """;

    PolicyValidationException e = appraisalError(document);

    assertThat(e.reason()).isEqualTo(Reason.EXPRESSION_SYNTAX);
    assertThat(e.line()).isEqualTo(9);
  }

  @Test
  void appraisalWhenComparingStringWithIntThenTypeErrorWithLine() {
    PolicyValidationException e =
        appraisalError(
            VALID_APPRAISAL.replace("claims.tdx.tcb_status == \"UpToDate\"", "3 == \"UpToDate\""));

    assertThat(e.reason()).isEqualTo(Reason.EXPRESSION_TYPE);
    assertThat(e.line()).isEqualTo(7);
    assertThat(e.detail()).contains("no matching overload");
  }

  @Test
  void appraisalWhenUndeclaredVariableThenTypeError() {
    PolicyValidationException e =
        appraisalError(VALID_APPRAISAL.replace("claims.tdx.tcb_status", "input.tdx.tcb_status"));

    assertThat(e.reason()).isEqualTo(Reason.EXPRESSION_TYPE);
    assertThat(e.line()).isEqualTo(7);
  }

  @Test
  void appraisalWhenConditionIsNotBoolThenTypeError() {
    PolicyValidationException e =
        appraisalError(
            VALID_APPRAISAL.replace(
                "claims.tdx.tcb_status == \"UpToDate\"", "size(rv[\"x\"]) + 1"));

    assertThat(e.reason()).isEqualTo(Reason.EXPRESSION_TYPE);
    assertThat(e.detail()).contains("bool");
  }

  @Test
  void appraisalWhenReferenceValuesIndexedDynamicallyThenRejected() {
    PolicyValidationException e =
        appraisalError(VALID_APPRAISAL.replace("rv[\"tdx.mr_td\"]", "rv[claims.name]"));

    assertThat(e.reason()).isEqualTo(Reason.REFERENCE_VALUE_ACCESS);
    assertThat(e.line()).isEqualTo(14);
  }

  @Test
  void appraisalWhenReferenceValuesUsedAsWholeMapThenRejected() {
    PolicyValidationException e =
        appraisalError(VALID_APPRAISAL.replace("in rv[\"tdx.mr_td\"]", "in rv"));

    assertThat(e.reason()).isEqualTo(Reason.REFERENCE_VALUE_ACCESS);
  }

  @Test
  void appraisalWhenIdMissingThenMissingField() {
    PolicyValidationException e = appraisalError(VALID_APPRAISAL.replace("id: tdx-test\n", ""));

    assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD);
    assertThat(e.path()).isEqualTo("id");
    assertThat(e.line()).isEqualTo(1);
  }

  @Test
  void appraisalWhenIdNotASlugThenInvalidValue() {
    PolicyValidationException e =
        appraisalError(VALID_APPRAISAL.replace("id: tdx-test", "id: ../etc"));

    assertThat(e.reason()).isEqualTo(Reason.INVALID_VALUE);
    assertThat(e.line()).isEqualTo(1);
  }

  @Test
  void appraisalWhenValueIsStringThenWrongType() {
    PolicyValidationException e =
        appraisalError(VALID_APPRAISAL.replace("value: 2\n", "value: \"2\"\n"));

    assertThat(e.reason()).isEqualTo(Reason.WRONG_TYPE);
    assertThat(e.line()).isEqualTo(8);
    assertThat(e.path()).isEqualTo("trustworthiness.hardware.rules[0].value");
  }

  @Test
  void appraisalWhenValueOutsideByteThenInvalidValue() {
    PolicyValidationException e =
        appraisalError(VALID_APPRAISAL.replace("value: 97", "value: 200"));

    assertThat(e.reason()).isEqualTo(Reason.INVALID_VALUE);
    assertThat(e.line()).isEqualTo(11);
  }

  @Test
  void appraisalWhenRulesIsAMapThenWrongType() {
    String document =
        """
        id: x
        version: "1"
        trustworthiness:
          hardware:
            rules:
              when: true
              value: 2
        """;

    PolicyValidationException e = appraisalError(document);

    assertThat(e.reason()).isEqualTo(Reason.WRONG_TYPE);
    assertThat(e.line()).isEqualTo(6);
  }

  @Test
  void appraisalWhenNoClaimsThenInvalidValue() {
    PolicyValidationException e = appraisalError("id: x\nversion: 1\ntrustworthiness: {}\n");

    assertThat(e.reason()).isEqualTo(Reason.INVALID_VALUE);
    assertThat(e.line()).isEqualTo(3);
  }

  @Test
  void appraisalWhenClaimHasNeitherRulesNorDefaultThenMissingField() {
    PolicyValidationException e =
        appraisalError("id: x\nversion: 1\ntrustworthiness:\n  hardware: {}\n");

    assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD);
    assertThat(e.line()).isEqualTo(4);
  }

  @Test
  void appraisalWhenDuplicateKeyThenMalformed() {
    PolicyValidationException e = appraisalError("id: x\nid: y\nversion: 1\n");

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_DOCUMENT);
    assertThat(e.line()).isEqualTo(2);
  }

  @Test
  void appraisalWhenNotYamlThenMalformedWithLine() {
    PolicyValidationException e = appraisalError("id: x\nversion: [1\ntrustworthiness: {}\n");

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_DOCUMENT);
    assertThat(e.line()).isGreaterThan(1);
  }

  @Test
  void appraisalWhenTwoYamlDocumentsThenMalformed() {
    PolicyValidationException e = appraisalError(VALID_APPRAISAL + "---\nid: other\n");

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_DOCUMENT);
  }

  @Test
  void appraisalWhenYamlAliasThenMalformed() {
    String document =
        """
        id: alias
        version: "1"
        trustworthiness:
          hardware:
            default: &d
              value: 2
          executables:
            default: *d
        """;

    PolicyValidationException e = appraisalError(document);

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_DOCUMENT);
    assertThat(e.line()).isEqualTo(8);
  }

  @Test
  void appraisalWhenEmptyOrScalarDocumentThenRejected() {
    assertThat(appraisalError("").reason()).isEqualTo(Reason.MALFORMED_DOCUMENT);
    assertThat(appraisalError("# nothing\n").reason()).isEqualTo(Reason.MALFORMED_DOCUMENT);
    assertThat(appraisalError("just text").reason()).isEqualTo(Reason.WRONG_TYPE);
  }

  @Test
  void appraisalWhenTooLargeThenRejected() {
    String document = VALID_APPRAISAL + "#" + "x".repeat(PolicyParser.MAX_DOCUMENT_CHARS) + "\n";

    assertThat(appraisalError(document).reason()).isEqualTo(Reason.DOCUMENT_TOO_LARGE);
  }

  @Test
  void appraisalWhenJsonUnknownFieldThenLineOfTheKey() {
    String json = "{\n  \"id\": \"j\",\n  \"version\": \"1\",\n  \"extra\": 1\n}\n";

    PolicyValidationException e = appraisalError(json);

    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_FIELD);
    assertThat(e.line()).isEqualTo(4);
  }

  @Test
  void appraisalWhenResourceDocumentThenUnknownFieldRules() {
    PolicyValidationException e = appraisalError("id: r\nversion: 1\nrules:\n  - allow: true\n");

    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_FIELD);
    assertThat(e.line()).isEqualTo(3);
  }

  @Test
  void resourceWhenValidThenCompiled() throws Exception {
    ResourcePolicy policy =
        PolicyParser.resource(
            """
            id: r1
            version: 3
            rules:
              - scope: {repository: "team-*", tag: "v?"}
                allow: claims.ear.status == "affirming" && request.type == "key"
            """);

    assertThat(policy.id()).isEqualTo("r1");
    assertThat(policy.version()).isEqualTo("3");
  }

  @Test
  void resourceWhenReferenceValuesUsedThenTypeError() {
    PolicyValidationException e =
        resourceError("id: r\nversion: 1\nrules:\n  - allow: size(rv[\"x\"]) > 0\n");

    assertThat(e.reason()).isEqualTo(Reason.EXPRESSION_TYPE);
    assertThat(e.line()).isEqualTo(4);
  }

  @Test
  void resourceWhenNoRulesThenInvalidValue() {
    PolicyValidationException e = resourceError("id: r\nversion: 1\nrules: []\n");

    assertThat(e.reason()).isEqualTo(Reason.INVALID_VALUE);
    assertThat(e.line()).isEqualTo(3);
  }

  @Test
  void resourceWhenAllowMissingThenMissingField() {
    PolicyValidationException e =
        resourceError("id: r\nversion: 1\nrules:\n  - scope: {repository: a}\n");

    assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD);
    assertThat(e.path()).isEqualTo("rules[0].allow");
    assertThat(e.line()).isEqualTo(4);
  }

  @Test
  void resourceWhenUnknownScopeFieldThenRejectedWithLine() {
    PolicyValidationException e =
        resourceError("id: r\nversion: 1\nrules:\n  - scope:\n      repo: a\n    allow: true\n");

    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_FIELD);
    assertThat(e.line()).isEqualTo(5);
    assertThat(e.path()).isEqualTo("rules[0].scope.repo");
  }

  @Test
  void resourceWhenGlobHasSlashThenInvalidValue() {
    PolicyValidationException e =
        resourceError("id: r\nversion: 1\nrules:\n  - scope: {repository: a/b}\n    allow: true\n");

    assertThat(e.reason()).isEqualTo(Reason.INVALID_VALUE);
    assertThat(e.line()).isEqualTo(4);
  }

  @Test
  void resourceWhenAllowIsYamlBooleanThenConstantCondition() throws Exception {
    ResourcePolicy policy = PolicyParser.resource("id: r\nversion: 1\nrules:\n  - allow: true\n");

    assertThat(policy.decide(new ResourceRequest("a", "b", "c"), java.util.Map.of()).allowed())
        .isTrue();
  }

  @Test
  void resourceWhenAllowIsNumberThenWrongType() {
    PolicyValidationException e = resourceError("id: r\nversion: 1\nrules:\n  - allow: 1\n");

    assertThat(e.reason()).isEqualTo(Reason.WRONG_TYPE);
    assertThat(e.line()).isEqualTo(4);
  }

  @Test
  void resourceWhenVersionMissingThenMissingField() {
    PolicyValidationException e = resourceError("id: r\nrules:\n  - allow: \"true\"\n");

    assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD);
    assertThat(e.path()).isEqualTo("version");
  }
}
