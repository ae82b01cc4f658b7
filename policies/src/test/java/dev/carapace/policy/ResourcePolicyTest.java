package dev.carapace.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourcePolicyTest {

  private static final String SCOPED =
      """
      id: scoped
      version: 1
      rules:
        - scope: {repository: models, type: key, tag: "llama-*"}
          allow: claims.tee == "tdx"
          reason: llama keys are for TDX only
        - scope: {repository: models, tag: "v?"}
          allow: request.type == "cert" && claims.ear.status == "affirming"
        - scope: {repository: "team-*"}
          allow: claims.tee == request.repository.substring(5)
          reason: team repositories are per TEE
      """;

  private static PolicyDecision decide(String path, Map<String, ?> claims) throws Exception {
    String[] p = path.split("/");
    return PolicyParser.resource(SCOPED).decide(new ResourceRequest(p[0], p[1], p[2]), claims);
  }

  @Test
  void decideWhenScopeAndConditionMatchThenAllow() throws Exception {
    assertThat(decide("models/key/llama-7b", Map.of("tee", "tdx")).allowed()).isTrue();
  }

  @Test
  void decideWhenScopeMatchesButConditionFalseThenDenyWithRuleReason() throws Exception {
    PolicyDecision d = decide("models/key/llama-7b", Map.of("tee", "snp"));

    assertThat(d)
        .isEqualTo(new PolicyDecision.Deny(java.util.List.of("llama keys are for TDX only")));
  }

  @Test
  void decideWhenTagGlobDoesNotMatchThenNoRuleApplies() throws Exception {
    PolicyDecision d = decide("models/key/mistral", Map.of("tee", "tdx"));

    assertThat(d)
        .isEqualTo(
            new PolicyDecision.Deny(
                java.util.List.of(
                    "no rule of policy 'scoped' applies to resource models/key/mistral")));
  }

  @Test
  void decideWhenQuestionMarkGlobThenExactlyOneCharacter() throws Exception {
    Map<String, Object> affirming = Map.of("ear", Map.of("status", "affirming"));

    assertThat(decide("models/cert/v1", affirming).allowed()).isTrue();
    assertThat(decide("models/cert/v10", affirming).allowed()).isFalse();
  }

  @Test
  void decideWhenRuleWithoutReasonDeniesThenReasonNamesRuleAndScope() throws Exception {
    PolicyDecision d = decide("models/cert/v1", Map.of("ear", Map.of("status", "warning")));

    assertThat(((PolicyDecision.Deny) d).reasons())
        .containsExactly(
            "rule 2 (models/*/v?) does not allow: request.type == \"cert\" && claims.ear.status =="
                + " \"affirming\"");
  }

  @Test
  void decideWhenSeveralRulesApplyThenAnyAllowWinsAndDenyListsAll() throws Exception {
    String policy =
        """
        id: two
        version: 1
        rules:
          - allow: claims.tee == "tdx"
            reason: not tdx
          - allow: claims.tee == "snp"
            reason: not snp
        """;
    ResourcePolicy p = PolicyParser.resource(policy);
    ResourceRequest r = new ResourceRequest("a", "b", "c");

    assertThat(p.decide(r, Map.of("tee", "snp")).allowed()).isTrue();
    assertThat(p.decide(r, Map.of("tee", "sample")))
        .isEqualTo(new PolicyDecision.Deny(java.util.List.of("not tdx", "not snp")));
  }

  @Test
  void decideWhenConditionReadsRequestThenSegmentsAvailable() throws Exception {
    assertThat(decide("team-tdx/key/x", Map.of("tee", "tdx")).allowed()).isTrue();
    assertThat(decide("team-snp/key/x", Map.of("tee", "tdx")).allowed()).isFalse();
  }

  @Test
  void requestWhenSegmentEmptyOrHasSlashThenIllegalArgument() {
    assertThatThrownBy(() -> new ResourceRequest("", "key", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ResourceRequest("a/b", "key", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new ResourceRequest("a", "b", "c").path()).isEqualTo("a/b/c");
  }

  @Test
  void globWhenSpecialRegexCharactersThenLiteral() {
    assertThat(Glob.of("a.b+").matches("a.b+")).isTrue();
    assertThat(Glob.of("a.b+").matches("axb+")).isFalse();
    assertThat(Glob.of("*").matches("")).isTrue();
    assertThat(Glob.of("k*-?").matches("key-1")).isTrue();
  }
}
