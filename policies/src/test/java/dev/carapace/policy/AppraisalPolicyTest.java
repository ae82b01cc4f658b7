package dev.carapace.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.carapace.policy.PolicyEvaluationException.Reason;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AppraisalPolicyTest {

  private static AppraisalPolicy policy(String hardwareRules) throws PolicyValidationException {
    return PolicyParser.appraisal(
        "id: p\nversion: 1\ntrustworthiness:\n  hardware:\n" + hardwareRules.indent(4));
  }

  @Test
  void appraiseWhenSeveralRulesHoldThenFirstWins() throws Exception {
    AppraisalPolicy p =
        policy(
            """
            rules:
              - when: claims.n > 1
                value: 32
              - when: claims.n > 0
                value: 2
            default: {value: 97}
            """);

    assertThat(p.appraise(Map.of("n", 5), ReferenceValueProvider.none()).vector().hardware())
        .isEqualTo(32);
    assertThat(p.appraise(Map.of("n", 1), ReferenceValueProvider.none()).vector().hardware())
        .isEqualTo(2);
    assertThat(p.appraise(Map.of("n", 0), ReferenceValueProvider.none()).vector().hardware())
        .isEqualTo(97);
  }

  @Test
  void appraiseWhenNoRuleAndNoDefaultThenNoClaim() throws Exception {
    AppraisalPolicy p = policy("rules:\n  - when: claims.n > 1\n    value: 2\n");

    Appraisal a = p.appraise(Map.of("n", 0), ReferenceValueProvider.none());

    assertThat(a.vector()).isEqualTo(TrustworthinessVector.NO_CLAIMS);
    assertThat(a.status()).isEqualTo(EarStatus.NONE);
    assertThat(a.reasons()).containsExactly("hardware=0: no rule holds");
  }

  @Test
  void appraiseWhenRuleHasNoReasonThenReasonQuotesTheCondition() throws Exception {
    AppraisalPolicy p = policy("rules:\n  - when: claims.n > 1\n    value: 2\n");

    Appraisal a = p.appraise(Map.of("n", 2), ReferenceValueProvider.none());

    assertThat(a.reasons()).containsExactly("hardware=2: rule 1 holds: claims.n > 1");
  }

  @Test
  void appraiseWhenClaimAbsentThenConditionFalseNotError() throws Exception {
    AppraisalPolicy p =
        policy(
            """
            rules:
              - when: claims.tdx.quote.body.mr_td == "aa"
                value: 2
              - when: claims.list[3] == 1
                value: 3
              - when: "!(claims.tdx.td_attributes.debug == true)"
                value: 4
            default: {value: 97}
            """);

    Appraisal a = p.appraise(Map.of("list", List.of(1)), ReferenceValueProvider.none());

    assertThat(a.vector().hardware()).isEqualTo(97);
  }

  @Test
  void appraiseWhenOtherOperandDecidesThenAbsentClaimAbsorbed() throws Exception {
    AppraisalPolicy p =
        policy(
            "rules:\n"
                + "  - when: claims.snp.policy_debug_allowed == true || claims.n == 1\n"
                + "    value: 96\n");

    assertThat(p.appraise(Map.of("n", 1), ReferenceValueProvider.none()).vector().hardware())
        .isEqualTo(96);
  }

  @Test
  void appraiseWhenRuntimeTypeErrorThenEvaluationException() throws Exception {
    AppraisalPolicy p = policy("rules:\n  - when: claims.tcb_status > 3\n    value: 2\n");

    PolicyEvaluationException e =
        catchThrowableOfType(
            PolicyEvaluationException.class,
            () -> p.appraise(Map.of("tcb_status", "UpToDate"), ReferenceValueProvider.none()));

    assertThat(e.reason()).isEqualTo(Reason.EXPRESSION_ERROR);
    assertThat(e.getMessage())
        .contains("trustworthiness.hardware.rules[0].when")
        .contains("line 6");
  }

  @Test
  void appraiseWhenDynConditionIsNotBoolThenEvaluationException() throws Exception {
    AppraisalPolicy p = policy("rules:\n  - when: claims.debug\n    value: 2\n");

    PolicyEvaluationException e =
        catchThrowableOfType(
            PolicyEvaluationException.class,
            () -> p.appraise(Map.of("debug", "no"), ReferenceValueProvider.none()));

    assertThat(e.reason()).isEqualTo(Reason.NOT_A_BOOLEAN);
  }

  @Test
  void appraiseWhenClaimsHoldUnsupportedTypeThenInvalidClaims() throws Exception {
    AppraisalPolicy p = policy("default: {value: 2}\n");

    PolicyEvaluationException e =
        catchThrowableOfType(
            PolicyEvaluationException.class,
            () ->
                p.appraise(
                    Map.of("tdx", Map.of("when", new Object())), ReferenceValueProvider.none()));

    assertThat(e.reason()).isEqualTo(Reason.INVALID_CLAIMS);
    assertThat(e.getMessage()).contains("claims.tdx.when");
  }

  @Test
  void appraiseWhenJavaNumberTypesAndNullThenNormalized() throws Exception {
    AppraisalPolicy p =
        policy(
            """
            rules:
              - when: >-
                  claims.i == 3 && claims.s == 4 && claims.b == 5 && claims.big == 6
                    && claims.f == 1.5 && claims.nothing == null
                value: 2
            """);
    Map<String, Object> claims = new HashMap<>();
    claims.put("i", Integer.valueOf(3));
    claims.put("s", Short.valueOf((short) 4));
    claims.put("b", Byte.valueOf((byte) 5));
    claims.put("big", BigInteger.valueOf(6));
    claims.put("f", Float.valueOf(1.5f));
    claims.put("nothing", null);

    assertThat(p.appraise(claims, ReferenceValueProvider.none()).vector().hardware()).isEqualTo(2);
  }

  @Test
  void appraiseWhenStringExtensionUsedThenAvailable() throws Exception {
    AppraisalPolicy p =
        policy("rules:\n  - when: claims.mr_td.lowerAscii() in rv[\"tdx.mr_td\"]\n    value: 3\n");

    Appraisal a =
        p.appraise(
            Map.of("mr_td", "AABB"),
            ReferenceValueProvider.of(Map.of("tdx.mr_td", List.of("aabb"))));

    assertThat(a.vector().hardware()).isEqualTo(3);
  }

  @Test
  void appraiseWhenClaimsChangedAfterwardThenResultUnaffectedAndPolicyReusable() throws Exception {
    AppraisalPolicy p = policy("rules:\n  - when: claims.n == 1\n    value: 2\n");
    Map<String, Object> claims = new HashMap<>(Map.of("n", 1));

    Appraisal first = p.appraise(claims, ReferenceValueProvider.none());
    claims.put("n", 2);
    Appraisal second = p.appraise(claims, ReferenceValueProvider.none());

    assertThat(first.vector().hardware()).isEqualTo(2);
    assertThat(second.vector().hardware()).isZero();
  }

  @Test
  void appraiseWhenManyThreadsShareOnePolicyThenSameResults() throws Exception {
    AppraisalPolicy p = DefaultPolicies.appraisal();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Appraisal>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        boolean debug = i % 2 == 0;
        results.add(
            pool.submit(
                () -> p.appraise(TestClaims.tdx("UpToDate", debug), TestClaims.registered())));
      }
      for (int i = 0; i < results.size(); i++) {
        EarStatus expected = i % 2 == 0 ? EarStatus.CONTRAINDICATED : EarStatus.AFFIRMING;
        assertThat(results.get(i).get().status()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void appraisalWhenStatusDisagreesWithVectorThenIllegalArgument() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new Appraisal(
                    "p",
                    new TrustworthinessVector(0, 0, 0, 0, 97, 0, 0, 0),
                    EarStatus.AFFIRMING,
                    List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
