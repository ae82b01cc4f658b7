package dev.carapace.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The documents shipped under {@code dev/carapace/policy/examples/} and {@code defaults/}. */
class ExamplePoliciesTest {

  private static AppraisalPolicy appraisalExample(String name) throws Exception {
    return PolicyParser.appraisal(DefaultPolicies.load("examples/" + name));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "examples/tdx-confidential-pod.yaml",
        "examples/snp-confidential-pod.yaml",
        "defaults/appraisal.yaml"
      })
  void appraisalWhenShippedDocumentThenParses(String name) throws Exception {
    AppraisalPolicy policy = PolicyParser.appraisal(DefaultPolicies.load(name));

    assertThat(policy.description()).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"examples/resource-model-keys.yaml", "defaults/resource.yaml"})
  void resourceWhenShippedDocumentThenParses(String name) throws Exception {
    ResourcePolicy policy = PolicyParser.resource(DefaultPolicies.load(name));

    assertThat(policy.description()).isNotEmpty();
  }

  @Test
  void tdxPodWhenFirmwareKernelAndCommandLineRegisteredThenAffirming() throws Exception {
    AppraisalPolicy policy = appraisalExample("tdx-confidential-pod.yaml");

    Appraisal a = policy.appraise(TestClaims.tdx("UpToDate", false), TestClaims.registered());

    assertThat(policy.referenceValueNames())
        .containsExactly("tdx.mr_td", "tdx.rtmr_1", "tdx.rtmr_2");
    assertThat(a.vector()).isEqualTo(new TrustworthinessVector(0, 2, 2, 0, 2, 2, 0, 0));
    assertThat(a.status()).isEqualTo(EarStatus.AFFIRMING);
  }

  @Test
  void tdxPodWhenOnlyMrTdRegisteredThenExecutablesWarning() throws Exception {
    ReferenceValueProvider onlyMrTd =
        ReferenceValueProvider.of(Map.of("tdx.mr_td", List.of(TestClaims.MR_TD)));

    Appraisal a =
        appraisalExample("tdx-confidential-pod.yaml")
            .appraise(TestClaims.tdx("UpToDate", false), onlyMrTd);

    assertThat(a.vector().executables()).isEqualTo(33);
    assertThat(a.reasons())
        .contains("executables=33: firmware is approved but the kernel or its command line is not");
  }

  @Test
  void tdxPodWhenNoInitDataThenConfigurationWarning() throws Exception {
    Map<String, Object> claims = TestClaims.tdx("UpToDate", false);
    claims.remove("init_data");

    Appraisal a =
        appraisalExample("tdx-confidential-pod.yaml").appraise(claims, TestClaims.registered());

    assertThat(a.vector().configuration()).isEqualTo(32);
    assertThat(a.status()).isEqualTo(EarStatus.WARNING);
  }

  @Test
  void snpPodWhenTcbAtRegisteredMinimumThenAffirming() throws Exception {
    Appraisal a =
        appraisalExample("snp-confidential-pod.yaml")
            .appraise(TestClaims.snp(false), TestClaims.registered());

    assertThat(a.vector()).isEqualTo(new TrustworthinessVector(0, 2, 3, 0, 2, 2, 0, 0));
  }

  @Test
  void snpPodWhenMicrocodeBelowMinimumThenHardwareContraindicated() throws Exception {
    Map<String, Object> claims = TestClaims.snp(false);
    TestClaims.child(claims, "snp").put("reported_tcb_microcode", 114);

    Appraisal a =
        appraisalExample("snp-confidential-pod.yaml").appraise(claims, TestClaims.registered());

    assertThat(a.vector().hardware()).isEqualTo(96);
    assertThat(a.status()).isEqualTo(EarStatus.CONTRAINDICATED);
  }

  @Test
  void snpPodWhenNoMinimumRegisteredThenFailsClosed() throws Exception {
    ReferenceValueProvider onlyMeasurement =
        ReferenceValueProvider.of(Map.of("snp.measurement", List.of(TestClaims.SNP_MEASUREMENT)));

    Appraisal a =
        appraisalExample("snp-confidential-pod.yaml")
            .appraise(TestClaims.snp(false), onlyMeasurement);

    assertThat(a.vector().hardware()).isEqualTo(96);
  }

  @Test
  void modelKeysWhenAffirmingTdxWithApprovedExecutablesThenAllow() throws Exception {
    ResourcePolicy p =
        PolicyParser.resource(DefaultPolicies.load("examples/resource-model-keys.yaml"));

    assertThat(
            p.decide(
                    new ResourceRequest("models", "key", "llama"),
                    TestClaims.attestationResult("tdx", EarStatus.AFFIRMING, 3))
                .allowed())
        .isTrue();
  }

  @Test
  void modelKeysWhenExecutablesNotApprovedThenDeny() throws Exception {
    ResourcePolicy p =
        PolicyParser.resource(DefaultPolicies.load("examples/resource-model-keys.yaml"));
    Map<String, Object> claims =
        new HashMap<>(TestClaims.attestationResult("tdx", EarStatus.AFFIRMING, 0));

    PolicyDecision d = p.decide(new ResourceRequest("models", "key", "llama"), claims);

    assertThat(d)
        .isEqualTo(
            new PolicyDecision.Deny(
                List.of(
                    "model keys need an affirming TDX or SNP result with approved executables")));
  }

  @Test
  void modelKeysWhenOtherRepositoryThenDenyNoRuleApplies() throws Exception {
    ResourcePolicy p =
        PolicyParser.resource(DefaultPolicies.load("examples/resource-model-keys.yaml"));

    PolicyDecision d =
        p.decide(
            new ResourceRequest("default", "key", "llama"),
            TestClaims.attestationResult("tdx", EarStatus.AFFIRMING, 3));

    assertThat(d.allowed()).isFalse();
    assertThat(((PolicyDecision.Deny) d).reasons().get(0)).contains("no rule");
  }

  @Test
  void modelKeysWhenPublicTypeThenAnyAffirmingAttester() throws Exception {
    ResourcePolicy p =
        PolicyParser.resource(DefaultPolicies.load("examples/resource-model-keys.yaml"));

    assertThat(
            p.decide(
                    new ResourceRequest("models", "public", "card"),
                    TestClaims.attestationResult("sample", EarStatus.AFFIRMING, 0))
                .allowed())
        .isTrue();
  }
}
