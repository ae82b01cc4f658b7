package dev.carapace.attestation.service.web;

import static dev.carapace.attestation.service.DevelopmentFixtures.BC;
import static dev.carapace.attestation.service.DevelopmentFixtures.MAPPER;
import static dev.carapace.attestation.service.DevelopmentFixtures.RANDOM;
import static dev.carapace.attestation.service.DevelopmentFixtures.SNP_PKI;
import static dev.carapace.attestation.service.DevelopmentFixtures.reportData;
import static dev.carapace.attestation.service.DevelopmentFixtures.runtimeData;
import static dev.carapace.attestation.service.DevelopmentFixtures.snpEvidence;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.attestation.service.DevelopmentFixtures;
import dev.carapace.attestation.service.ServiceClient;
import dev.carapace.attestation.service.TestVectors;
import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.ReportParser;
import dev.carapace.snp.simulate.SimulatedReport;
import dev.carapace.snp.simulate.SnpReportRequest;
import dev.carapace.snp.simulate.SnpReportSimulator;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** SEV-SNP reports from our simulator and Trustee's sample TEE, in dev mode. */
class SnpAndSampleAttestationTest extends DevModeHttpTest {
  private static final SnpReportSimulator SIMULATOR;

  static {
    try {
      SIMULATOR = SnpReportSimulator.withRandomChip(SNP_PKI, RANDOM, BC, Clock.systemUTC());
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static Bytes randomMeasurement() {
    byte[] b = new byte[48];
    RANDOM.nextBytes(b);
    return Bytes.copyOf(b);
  }

  private void register(String name, String... values) {
    ObjectNode rv = MAPPER.createObjectNode().put("name", name);
    var array = rv.putArray("values");
    for (String v : values) {
      array.add(v);
    }
    assertThat(client.postJson("/reference-values", rv.toString()).statusCode()).isEqualTo(201);
  }

  @Test
  void attestWhenSimulatedSnpInCocoFormWithRegisteredMeasurementThenAffirming() throws Exception {
    Bytes measurement = randomMeasurement();
    register("snp.measurement", measurement.toHex());
    ObjectNode rd = runtimeData("snp-nonce-1");
    SimulatedReport report = SIMULATOR.report(SnpReportRequest.builder()
        .reportData(reportData(rd)).measurement(measurement).build());

    HttpResponse<String> r = client.attest("snp",
        snpEvidence(report.report(), report.endorsementKey().getEncoded()), rd, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode cpu0 = cpu0(verifiedClaims(r));
    assertThat(cpu0.get("ear.status").asText()).isEqualTo("affirming");
    JsonNode snp = cpu0.at("/ear.veraison.annotated-evidence/snp");
    assertThat(snp.get("measurement").asText()).isEqualTo(measurement.toHex());
    assertThat(snp.get("signer").asText()).isEqualTo("vcek");
    assertThat(snp.get("product").asText()).isEqualTo("Genoa");
    assertThat(snp.get("amd_root").asBoolean()).isFalse();
    assertThat(snp.get("policy_debug_allowed").asBoolean()).isFalse();
    assertThat(cpu0.at("/ear.veraison.annotated-evidence/report_data").asText())
        .isEqualTo(reportData(rd).toHex());
  }

  @Test
  void attestWhenSimulatedSnpAsRawReportAndVcekThenVerified() throws Exception {
    ObjectNode rd = runtimeData("snp-nonce-2");
    SimulatedReport report = SIMULATOR.report(reportData(rd));
    ObjectNode e = MAPPER.createObjectNode()
        .put("report", Base64.getEncoder().encodeToString(report.bytes()))
        .put("vcek", Base64.getEncoder().encodeToString(report.endorsementKey().getEncoded()));

    HttpResponse<String> r = client.attest("snp",
        DevelopmentFixtures.b64url(e.toString().getBytes(StandardCharsets.UTF_8)), rd, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(cpu0(verifiedClaims(r)).get("ear.status").asText()).isEqualTo("warning");
  }

  @Test
  void attestWhenSnpInitDataBoundToHostDataThenInitDataClaim() throws Exception {
    JsonNode v = TestVectors.kbs().get("initdata");
    ObjectNode rd = runtimeData("snp-nonce-3");
    SimulatedReport report = SIMULATOR.report(SnpReportRequest.builder().reportData(reportData(rd))
        .hostData(Bytes.fromHex(v.get("snp_host_data_hex").asText())).build());
    ObjectNode init = MAPPER.createObjectNode().put("init_data_toml", v.get("toml_body").asText());

    HttpResponse<String> r = client.attest("snp",
        snpEvidence(report.report(), report.endorsementKey().getEncoded()), rd, init);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(cpu0(verifiedClaims(r)).at("/ear.veraison.annotated-evidence/init_data").asText())
        .isEqualTo(v.get("snp_host_data_hex").asText());
  }

  @Test
  void attestWhenSnpSignatureByteFlippedThenSignatureInvalid() throws Exception {
    ObjectNode rd = runtimeData("snp-nonce-4");
    SimulatedReport report = SIMULATOR.report(reportData(rd));
    byte[] raw = report.bytes();
    raw[0x2A0] ^= 1; // first byte of the signature's r
    AttestationReport flipped = ReportParser.parse(raw);

    HttpResponse<String> r = client.attest("snp",
        snpEvidence(flipped, report.endorsementKey().getEncoded()), rd, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    JsonNode p = ServiceClient.json(r);
    assertThat(p.get("type").asText()).isEqualTo("https://carapace.dev/problems/signature-invalid");
    assertThat(p.get("verifier_reason").asText()).isEqualTo("SIGNATURE_INVALID");
  }

  @Test
  void attestWhenSnpReportDataBindsOtherRuntimeDataThenReportDataMismatch() throws Exception {
    SimulatedReport report = SIMULATOR.report(reportData(runtimeData("other")));

    HttpResponse<String> r = client.attest("snp",
        snpEvidence(report.report(), report.endorsementKey().getEncoded()),
        runtimeData("snp-nonce-5"), null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(ServiceClient.json(r).get("type").asText()).endsWith("/report-data-mismatch");
  }

  @Test
  void attestWhenSnpReportFromVmpl1ThenVmplNotZero() throws Exception {
    ObjectNode rd = runtimeData("snp-nonce-6");
    SimulatedReport report = SIMULATOR.report(SnpReportRequest.builder()
        .reportData(reportData(rd)).vmpl(1).build());

    HttpResponse<String> r = client.attest("snp",
        snpEvidence(report.report(), report.endorsementKey().getEncoded()), rd, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(ServiceClient.json(r).get("type").asText()).endsWith("/vmpl-not-zero");
  }

  @Test
  void attestWhenSnpDebugPolicyThenContraindicated() throws Exception {
    ObjectNode rd = runtimeData("snp-nonce-7");
    SimulatedReport report = SIMULATOR.report(SnpReportRequest.builder()
        .reportData(reportData(rd)).policy(SnpReportRequest.DEFAULT_POLICY.toRaw() | 1L << 19)
        .build());

    HttpResponse<String> r = client.attest("snp",
        snpEvidence(report.report(), report.endorsementKey().getEncoded()), rd, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode cpu0 = cpu0(verifiedClaims(r));
    assertThat(cpu0.get("ear.status").asText()).isEqualTo("contraindicated");
    assertThat(cpu0.at("/ear.trustworthiness-vector/hardware").asInt()).isEqualTo(97);
  }

  @Test
  void attestWhenSampleTeeAsTrusteeVectorThenSampleClaimsAndAffirmingWithSampleValues()
      throws Exception {
    // attest_request_sample_tee: the KBS builds the structured runtime data from its body.
    JsonNode attest = TestVectors.kbs().get("attest_request_sample_tee");
    ObjectNode structured = MAPPER.createObjectNode();
    structured.set("tee-pubkey", attest.at("/runtime-data/tee-pubkey"));
    structured.set("nonce", attest.at("/runtime-data/nonce"));
    structured.put("additional-evidence", "");
    ObjectNode rd = MAPPER.createObjectNode();
    rd.set("structured", structured);
    String evidence = DevelopmentFixtures.b64url(
        attest.at("/tee-evidence/primary_evidence").toString().getBytes(StandardCharsets.UTF_8));
    register("sample.svn", "1");
    register("sample.launch_digest", "abcde");

    HttpResponse<String> r = client.attest("sample", evidence, rd, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode cpu0 = cpu0(verifiedClaims(r));
    JsonNode annotated = cpu0.get("ear.veraison.annotated-evidence");
    assertThat(annotated.at("/sample/launch_digest").asText()).isEqualTo("abcde");
    assertThat(annotated.get("report_data").asText()).isEqualTo(
        TestVectors.kbs().at("/runtime_data_binding/sample_report_data_b64std").asText());
    assertThat(annotated.at("/runtime_data_claims/tee-pubkey"))
        .isEqualTo(attest.at("/runtime-data/tee-pubkey"));
    assertThat(cpu0.get("ear.status").asText()).isEqualTo("affirming");
  }

  @Test
  void attestWhenSampleReportDataPaddedThenMismatchBecauseSampleComparesExactly()
      throws Exception {
    ObjectNode rd = runtimeData("sample-nonce");
    String evidence = DevelopmentFixtures.b64url(MAPPER.createObjectNode().put("svn", "1")
        .put("report_data", Base64.getEncoder().encodeToString(reportData(rd).toByteArray()))
        .toString().getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> r = client.attest("sample", evidence, rd, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(ServiceClient.json(r).get("type").asText()).endsWith("/report-data-mismatch");
  }
}
