package dev.carapace.policy;

import static dev.carapace.policy.TestClaims.registered;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultPoliciesTest {
  private final AppraisalPolicy policy = DefaultPolicies.appraisal();

  @Test
  void appraisalWhenLoadedThenIdDefaultAndItsReferenceValueNames() {
    assertThat(policy.id()).isEqualTo("default");
    assertThat(policy.referenceValueNames())
        .containsExactly("sample.launch_digest", "sample.svn", "snp.measurement", "tdx.mr_td");
    assertThat(DefaultPolicies.appraisal()).isSameAs(policy);
    assertThat(DefaultPolicies.appraisalDocument()).contains("id: default");
  }

  @Test
  void appraiseWhenTdxUpToDateAndMrTdRegisteredThenAffirming() throws Exception {
    Appraisal a = policy.appraise(TestClaims.tdx("UpToDate", false), registered());

    assertThat(a.status()).isEqualTo(EarStatus.AFFIRMING);
    assertThat(a.vector()).isEqualTo(new TrustworthinessVector(0, 2, 3, 0, 2, 2, 0, 0));
    assertThat(a.policyId()).isEqualTo("default");
    assertThat(a.reasons())
        .containsExactly(
            "configuration=2: debug off, init-data bound to MRCONFIGID",
            "executables=3: MRTD matches a registered reference value",
            "hardware=2: genuine TDX platform with an up-to-date TCB",
            "runtime-opaque=2: guest memory is encrypted and opaque to the host");
  }

  @Test
  void appraiseWhenTdxWithoutInitDataThenConfigurationThreeAndStillAffirming() throws Exception {
    Map<String, Object> claims = TestClaims.tdx("UpToDate", false);
    claims.remove("init_data");

    Appraisal a = policy.appraise(claims, registered());

    assertThat(a.vector().configuration()).isEqualTo(3);
    assertThat(a.status()).isEqualTo(EarStatus.AFFIRMING);
  }

  @Test
  void appraiseWhenDebugTdThenHardwareContraindicated() throws Exception {
    Appraisal a = policy.appraise(TestClaims.tdx("UpToDate", true), registered());

    assertThat(a.vector().hardware()).isEqualTo(97);
    assertThat(a.vector().configuration()).isEqualTo(96);
    assertThat(a.vector().runtimeOpaque()).isEqualTo(96);
    assertThat(a.status()).isEqualTo(EarStatus.CONTRAINDICATED);
    assertThat(a.reasons()).contains("hardware=97: TD debug mode is enabled");
  }

  @Test
  void appraiseWhenTcbOutOfDateThenHardwareContraindicated() throws Exception {
    for (String status :
        List.of(
            "OutOfDate",
            "OutOfDateConfigurationNeeded",
            "TDRelaunchAdvised",
            "TDRelaunchAdvisedConfigurationNeeded")) {
      Appraisal a = policy.appraise(TestClaims.tdx(status, false), registered());

      assertThat(a.vector().hardware()).as(status).isEqualTo(96);
      assertThat(a.status()).as(status).isEqualTo(EarStatus.CONTRAINDICATED);
    }
  }

  @Test
  void appraiseWhenTcbNeedsHardeningThenHardwareWarning() throws Exception {
    for (String status :
        List.of("SWHardeningNeeded", "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded")) {
      Appraisal a = policy.appraise(TestClaims.tdx(status, false), registered());

      assertThat(a.vector().hardware()).as(status).isEqualTo(32);
      assertThat(a.status()).as(status).isEqualTo(EarStatus.WARNING);
    }
  }

  @Test
  void appraiseWhenTcbStatusMissingThenHardwareUnrecognized() throws Exception {
    Map<String, Object> claims = TestClaims.tdx("UpToDate", false);
    TestClaims.child(claims, "tdx").remove("tcb_status");

    Appraisal a = policy.appraise(claims, registered());

    assertThat(a.vector().hardware()).isEqualTo(97);
    assertThat(a.status()).isEqualTo(EarStatus.CONTRAINDICATED);
  }

  @Test
  void appraiseWhenDebugAttributeMissingThenNotAffirmed() throws Exception {
    Map<String, Object> claims = TestClaims.tdx("UpToDate", false);
    TestClaims.child(claims, "tdx").remove("td_attributes");

    Appraisal a = policy.appraise(claims, registered());

    assertThat(a.vector().hardware()).isEqualTo(97);
    assertThat(a.vector().configuration()).isEqualTo(36);
    assertThat(a.vector().runtimeOpaque()).isZero();
  }

  @Test
  void appraiseWhenMrTdNotRegisteredThenExecutablesWarning() throws Exception {
    ReferenceValueProvider otherMrTd =
        ReferenceValueProvider.of(Map.of("tdx.mr_td", List.of("ff".repeat(48))));

    Appraisal a = policy.appraise(TestClaims.tdx("UpToDate", false), otherMrTd);

    assertThat(a.vector().executables()).isEqualTo(33);
    assertThat(a.status()).isEqualTo(EarStatus.WARNING);
    assertThat(a.reasons())
        .contains(
            "executables=33: launch measurement is not among the registered, unexpired reference"
                + " values");
  }

  @Test
  void appraiseWhenReferenceValueExpiredThenExecutablesWarning() throws Exception {
    // Expiry is the provider's job: an expired value is simply not returned.
    Appraisal a = policy.appraise(TestClaims.tdx("UpToDate", false), ReferenceValueProvider.none());

    assertThat(a.vector().executables()).isEqualTo(33);
    assertThat(a.status()).isEqualTo(EarStatus.WARNING);
  }

  @Test
  void appraiseWhenMrTdUpperCaseInClaimsThenNotMatched() throws Exception {
    Map<String, Object> claims = TestClaims.tdx("UpToDate", false);
    Map<String, Object> tdx = TestClaims.child(claims, "tdx");
    @SuppressWarnings("unchecked")
    Map<String, Object> quote = new java.util.HashMap<>((Map<String, Object>) tdx.get("quote"));
    @SuppressWarnings("unchecked")
    Map<String, Object> body = new java.util.HashMap<>((Map<String, Object>) quote.get("body"));
    body.put("mr_td", TestClaims.MR_TD.toUpperCase(java.util.Locale.ROOT));
    quote.put("body", body);
    tdx.put("quote", quote);

    assertThat(policy.appraise(claims, registered()).vector().executables()).isEqualTo(33);
  }

  @Test
  void appraiseWhenProviderAskedThenOncePerNameTheDefaultPolicyReads() throws Exception {
    List<String> asked = new ArrayList<>();
    ReferenceValueProvider recording =
        name -> {
          asked.add(name);
          return registered().values(name);
        };

    policy.appraise(TestClaims.tdx("UpToDate", false), recording);

    assertThat(asked).containsExactlyInAnyOrderElementsOf(policy.referenceValueNames());
  }

  @Test
  void appraiseWhenSnpVerifiedAndMeasurementRegisteredThenAffirming() throws Exception {
    Appraisal a = policy.appraise(TestClaims.snp(false), registered());

    assertThat(a.vector()).isEqualTo(new TrustworthinessVector(0, 2, 3, 0, 2, 2, 0, 0));
    assertThat(a.status()).isEqualTo(EarStatus.AFFIRMING);
  }

  @Test
  void appraiseWhenSnpDebugAllowedThenHardwareContraindicated() throws Exception {
    Appraisal a = policy.appraise(TestClaims.snp(true), registered());

    assertThat(a.vector().hardware()).isEqualTo(97);
    assertThat(a.status()).isEqualTo(EarStatus.CONTRAINDICATED);
  }

  @Test
  void appraiseWhenSnpSignerMissingThenHardwareUnrecognized() throws Exception {
    Map<String, Object> claims = TestClaims.snp(false);
    TestClaims.child(claims, "snp").remove("signer");

    assertThat(policy.appraise(claims, registered()).vector().hardware()).isEqualTo(97);
  }

  @Test
  void appraiseWhenSnpMeasurementNotRegisteredThenExecutablesWarning() throws Exception {
    Appraisal a = policy.appraise(TestClaims.snp(false), ReferenceValueProvider.none());

    assertThat(a.vector().executables()).isEqualTo(33);
    assertThat(a.status()).isEqualTo(EarStatus.WARNING);
  }

  @Test
  void appraiseWhenSnpMigrationAgentAllowedThenConfigurationWarning() throws Exception {
    Map<String, Object> claims = TestClaims.snp(false);
    TestClaims.child(claims, "snp").put("policy_migrate_ma", true);

    Appraisal a = policy.appraise(claims, registered());

    assertThat(a.vector().configuration()).isEqualTo(32);
    assertThat(a.status()).isEqualTo(EarStatus.WARNING);
  }

  @Test
  void appraiseWhenSampleWithTrusteeIntegrationReferenceValuesThenAffirming() throws Exception {
    // The claims of Trustee's sample verifier and the RVs its integration tests register.
    Map<String, Object> claims =
        Map.of(
            "sample",
            Map.of(
                "svn",
                "1",
                "launch_digest",
                "abcde",
                "platform_version",
                Map.of("major", 1, "minor", 4),
                "debug",
                false));
    ReferenceValueProvider rv =
        ReferenceValueProvider.of(
            Map.of("sample.svn", List.of("1"), "sample.launch_digest", List.of("abcde")));

    Appraisal a = policy.appraise(claims, rv);

    assertThat(a.vector()).isEqualTo(new TrustworthinessVector(0, 2, 3, 0, 2, 0, 0, 0));
    assertThat(a.status()).isEqualTo(EarStatus.AFFIRMING);
  }

  @Test
  void appraiseWhenUnknownTeeThenContraindicated() throws Exception {
    Appraisal a = policy.appraise(Map.of("cca", Map.of("realm", Map.of())), registered());

    assertThat(a.vector()).isEqualTo(new TrustworthinessVector(0, 36, 33, 0, 97, 0, 0, 0));
    assertThat(a.status()).isEqualTo(EarStatus.CONTRAINDICATED);
  }

  @Test
  void resourceWhenAffirmingTdxThenAllow() throws Exception {
    PolicyDecision d =
        DefaultPolicies.resource()
            .decide(
                new ResourceRequest("default", "key", "k1"),
                TestClaims.attestationResult("tdx", EarStatus.AFFIRMING, 3));

    assertThat(d).isEqualTo(new PolicyDecision.Allow());
    assertThat(d.allowed()).isTrue();
  }

  @Test
  void resourceWhenWarningOrContraindicatedThenDeny() throws Exception {
    for (EarStatus status : List.of(EarStatus.NONE, EarStatus.WARNING, EarStatus.CONTRAINDICATED)) {
      PolicyDecision d =
          DefaultPolicies.resource()
              .decide(
                  new ResourceRequest("default", "key", "k1"),
                  TestClaims.attestationResult("snp", status, 3));

      assertThat(d).as(status.name()).isInstanceOf(PolicyDecision.Deny.class);
      assertThat(((PolicyDecision.Deny) d).reasons())
          .containsExactly("the attestation result is not affirming for a tdx or snp attester");
    }
  }

  @Test
  void resourceWhenSampleAttesterThenDenyEvenIfAffirming() throws Exception {
    PolicyDecision d =
        DefaultPolicies.resource()
            .decide(
                new ResourceRequest("default", "key", "k1"),
                TestClaims.attestationResult("sample", EarStatus.AFFIRMING, 3));

    assertThat(d.allowed()).isFalse();
  }

  @Test
  void resourceWhenClaimsHaveNoEarThenDeny() throws Exception {
    PolicyDecision d =
        DefaultPolicies.resource()
            .decide(new ResourceRequest("default", "key", "k1"), Map.of("tee", "tdx"));

    assertThat(d.allowed()).isFalse();
  }
}
