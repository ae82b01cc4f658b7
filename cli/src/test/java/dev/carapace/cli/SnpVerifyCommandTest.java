package dev.carapace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code carapace snp verify|simulate} against real reports and the development simulator. */
class SnpVerifyCommandTest {
  private static final String V = "../snp-support/src/test/resources/vectors/";
  private static final String AT = "2026-03-01T00:00:00Z";

  @Test
  void verifyWhenRealMilanDebugReportThenRejectedUnlessDebugAllowed() throws Exception {
    // go-sev-guest's sample guest runs with the DEBUG policy bit set.
    String dir = V + "report-go-sev-guest/gsg_milan_v2/";
    CarapaceCliTest.Run strict = CarapaceCliTest.run("snp", "verify", dir + "report.bin",
        "--vcek", dir + "vcek.der", "--at", AT, "--json");
    assertThat(strict.exit()).isEqualTo(1);
    assertThat(Json.MAPPER.readTree(strict.out()).at("/error/reason").asText())
        .isEqualTo("DEBUG_NOT_ALLOWED");
    CarapaceCliTest.Run r = CarapaceCliTest.run("snp", "verify", dir + "report.bin",
        "--vcek", dir + "vcek.der", "--at", AT, "--allow-debug", "--json");
    JsonNode n = Json.MAPPER.readTree(r.out());
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(n.get("verified").asBoolean()).isTrue();
    assertThat(n.get("product").asText()).isEqualTo("Milan");
    assertThat(n.get("signing_key").asText()).isEqualTo("VCEK");
  }

  @Test
  void verifyWhenTurinReportThenTurinTcbLayoutPrinted() {
    String dir = V + "report-msft-tav/msft_turin_v5/";
    CarapaceCliTest.Run r = CarapaceCliTest.run("snp", "verify", dir + "report.bin",
        "--vcek", dir + "vcek.pem", "--at", AT);
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("VERIFIED").contains("fmc=1");
  }

  @Test
  void verifyWhenReportByteFlippedThenRejectedWithReason() throws Exception {
    CarapaceCliTest.Run r = CarapaceCliTest.run("snp", "verify",
        V + "report-negative/gsg_milan_v2_report_byte0x15_xor80.bin",
        "--vcek", V + "report-go-sev-guest/gsg_milan_v2/vcek.der", "--at", AT, "--json");
    assertThat(r.exit()).isEqualTo(1);
    // The README of the vector: a family_id byte flipped, so the signature no longer verifies.
    assertThat(Json.MAPPER.readTree(r.out()).at("/error/reason").asText())
        .isEqualTo("SIGNATURE_INVALID");
  }

  @Test
  void verifyWhenExpectedMeasurementDiffersThenValidationRejects() throws Exception {
    String dir = V + "report-go-sev-guest/gsg_milan_v2/";
    CarapaceCliTest.Run r = CarapaceCliTest.run("snp", "verify", dir + "report.bin",
        "--vcek", dir + "vcek.der", "--at", AT, "--allow-debug", "--measurement",
        "00".repeat(48), "--json");
    JsonNode n = Json.MAPPER.readTree(r.out());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(n.get("verified").asBoolean()).isTrue();
    assertThat(n.get("valid").asBoolean()).isFalse();
    assertThat(n.at("/error/reason").asText()).contains("MEASUREMENT");
  }

  @Test
  void verifyWhenNoCertificateSourceThenRejected() {
    CarapaceCliTest.Run r = CarapaceCliTest.run("snp", "verify",
        V + "report-go-sev-guest/gsg_milan_v2/report.bin");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("NO_ENDORSEMENT_KEY");
  }

  @Test
  void simulateThenVerifyOnlyWithDevelopmentRoot(@TempDir Path tmp) throws Exception {
    Path report = tmp.resolve("r.bin");
    String measurement = "cd".repeat(48);
    CarapaceCliTest.Run sim = CarapaceCliTest.run("snp", "simulate", "--pki",
        tmp.resolve("pki").toString(), "--out", report.toString(), "--product", "Genoa",
        "--measurement", measurement, "--report-data", "beef");
    assertThat(sim.exit()).as(sim.err()).isZero();
    String vcek = report + ".vcek.der";
    CarapaceCliTest.Run amdOnly = CarapaceCliTest.run("snp", "verify", report.toString(),
        "--vcek", vcek, "--json");
    assertThat(amdOnly.exit()).isEqualTo(1);
    assertThat(Json.MAPPER.readTree(amdOnly.out()).at("/error/reason").asText())
        .isEqualTo("UNTRUSTED_ROOT");
    CarapaceCliTest.Run dev = CarapaceCliTest.run("snp", "verify", report.toString(),
        "--vcek", vcek, "--trust-root", tmp.resolve("pki").toString(),
        "--measurement", measurement, "--report-data", "beef", "--json");
    JsonNode n = Json.MAPPER.readTree(dev.out());
    assertThat(dev.exit()).as(dev.out()).isZero();
    assertThat(n.get("product").asText()).isEqualTo("Genoa");
    assertThat(n.at("/report/measurement").asText()).isEqualTo(measurement);
  }
}
