package dev.carapace.attestation.service.web;

import static dev.carapace.attestation.service.DevelopmentFixtures.BC;
import static dev.carapace.attestation.service.DevelopmentFixtures.MAPPER;
import static dev.carapace.attestation.service.DevelopmentFixtures.RANDOM;
import static dev.carapace.attestation.service.DevelopmentFixtures.SNP_PKI;
import static dev.carapace.attestation.service.DevelopmentFixtures.TDX_PKI;
import static dev.carapace.attestation.service.DevelopmentFixtures.reportData;
import static dev.carapace.attestation.service.DevelopmentFixtures.runtimeData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.attestation.service.DevelopmentFixtures;
import dev.carapace.attestation.service.IndependentTokenVerifier;
import dev.carapace.attestation.service.MutableClock;
import dev.carapace.attestation.service.ServiceClient;
import dev.carapace.attestation.service.TestVectors;
import dev.carapace.snp.simulate.SimulatedReport;
import dev.carapace.snp.simulate.SnpReportSimulator;
import dev.carapace.tdx.simulate.SimulatedPlatform;
import dev.carapace.tdx.simulate.TdQuoteRequest;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service without dev mode: only Intel's and AMD's roots are trusted, so evidence from our
 * simulators is refused although the development PKIs sit in the data directory, the sample TEE
 * is off, and real Genoa evidence from Trustee's e2e test verifies against AMD's roots (at a
 * clock pinned inside the VCEK's validity, with no runtime data, as Trustee's e2e test sends it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ProductionModeTest.PinnedClock.class)
class ProductionModeTest {
  static final Path DATA = DevelopmentFixtures.dataDirectory("as-prod-");
  static final MutableClock CLOCK = new MutableClock(Instant.parse("2025-06-01T00:00:00Z"));

  @TestConfiguration
  static class PinnedClock {
    @Bean
    @Primary
    Clock pinnedClock() {
      return CLOCK;
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("carapace.attestation.data-dir", DATA::toString);
    r.add("carapace.attestation.dev", () -> "false");
  }

  @LocalServerPort int port;
  ServiceClient client;

  @BeforeEach
  void client() {
    client = new ServiceClient(port);
  }

  private static void assertProblem(HttpResponse<String> r, int status, String type) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(ServiceClient.json(r).get("type").asText())
        .isEqualTo("https://carapace.dev/problems/" + type);
  }

  private static String genoaEvidence() {
    return DevelopmentFixtures.b64url(TestVectors.bytes("trustee/snp-evidence-genoa-e2e.json"));
  }

  @Test
  void attestWhenTrusteeGenoaEvidenceThenVerifiedAgainstAmdRoots() throws Exception {
    HttpResponse<String> r = client.attest("snp", genoaEvidence(), null, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode claims = IndependentTokenVerifier.verify(r.body(),
        client.get("/.well-known/jwks.json").body(), CLOCK.instant());
    JsonNode cpu0 = claims.at("/submods/cpu0");
    JsonNode snp = cpu0.at("/ear.veraison.annotated-evidence/snp");
    assertThat(snp.get("amd_root").asBoolean()).isTrue();
    assertThat(snp.get("signer").asText()).isEqualTo("vcek");
    assertThat(snp.get("product").asText()).isEqualTo("Genoa");
    assertThat(snp.get("reported_tcb_snp").asInt()).isEqualTo(23);
    assertThat(cpu0.at("/ear.veraison.annotated-evidence/report_data").asText())
        .startsWith("7e732088");
    // No reference value for its measurement yet: recognized hardware, unrecognized executables.
    assertThat(cpu0.get("ear.status").asText()).isEqualTo("warning");

    ObjectNode rv = MAPPER.createObjectNode().put("name", "snp.measurement");
    rv.putArray("values").add(snp.get("measurement").asText());
    assertThat(client.postJson("/reference-values", rv.toString()).statusCode()).isEqualTo(201);
    JsonNode again = IndependentTokenVerifier.verify(
        client.attest("snp", genoaEvidence(), null, null).body(),
        client.get("/.well-known/jwks.json").body(), CLOCK.instant());
    assertThat(again.at("/submods/cpu0/ear.status").asText()).isEqualTo("affirming");
  }

  @Test
  void attestWhenTrusteeGenoaEvidenceByteFlippedThenSignatureInvalid() throws Exception {
    JsonNode e = TestVectors.json("trustee/snp-evidence-genoa-e2e.json").deepCopy();
    var measurement = (com.fasterxml.jackson.databind.node.ArrayNode)
        e.at("/attestation_report/measurement");
    measurement.set(0, measurement.get(0).asInt() ^ 1);
    String evidence = DevelopmentFixtures.b64url(e.toString().getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> r = client.attest("snp", evidence, null, null);

    assertProblem(r, 403, "signature-invalid");
  }

  @Test
  void attestWhenSimulatedTdxWithoutDevModeThenUntrustedRoot() throws Exception {
    TdxQuoteSimulator sim = new TdxQuoteSimulator(TDX_PKI, SimulatedPlatform.defaults(), RANDOM,
        BC, Clock.systemUTC());
    ObjectNode rd = runtimeData("prod-1");
    byte[] quote = sim.quote(TdQuoteRequest.of(Bytes.zeros(48), reportData(rd)));

    HttpResponse<String> r = client.attest("tdx", DevelopmentFixtures.tdxEvidence(quote), rd, null);

    assertProblem(r, 403, "untrusted-root");
    assertThat(ServiceClient.json(r).get("verifier_reason").asText()).isEqualTo("UNTRUSTED_ROOT");
  }

  @Test
  void attestWhenSimulatedSnpWithoutDevModeThenUntrustedRoot() throws Exception {
    SnpReportSimulator sim = SnpReportSimulator.withRandomChip(SNP_PKI, RANDOM, BC,
        Clock.systemUTC());
    ObjectNode rd = runtimeData("prod-2");
    SimulatedReport report = sim.report(reportData(rd));

    HttpResponse<String> r = client.attest("snp", DevelopmentFixtures.snpEvidence(report.report(),
        report.endorsementKey().getEncoded()), rd, null);

    assertProblem(r, 403, "untrusted-root");
  }

  @Test
  void attestWhenSampleTeeWithoutDevModeThenUnsupportedTee() {
    String evidence = DevelopmentFixtures.b64url("{\"svn\":\"1\",\"report_data\":\"\"}"
        .getBytes(StandardCharsets.UTF_8));
    assertProblem(client.attest("sample", evidence, null, null), 400, "unsupported-tee");
  }
}
