package dev.carapace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real command line in-process against the real vectors of tdx-support. */
class CarapaceCliTest {
  private static final String VECTORS = "../tdx-support/src/test/resources/vectors/";
  private static final String DQ_QUOTE = VECTORS + "dcap-qvl/tdx_quote";
  private static final String DQ_COLLATERAL = VECTORS + "dcap-qvl/tdx_quote_collateral.json";

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Carapace.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void verifyWhenRealQuoteWithItsCollateralThenExitZeroAndUpToDate() {
    Run r = run("tdx", "verify", DQ_QUOTE, "--collateral", DQ_COLLATERAL,
        "--at", "2025-07-01T00:00:00Z");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("result: VERIFIED: TCB status UpToDate")
        .contains("mr_td").contains("fmspc").contains("b0c06f000000");
  }

  @Test
  void verifyWhenJsonThenMachineReadableResult() throws Exception {
    Run r = run("tdx", "verify", DQ_QUOTE, "--collateral", DQ_COLLATERAL,
        "--at", "2025-07-01T00:00:00Z", "--json");
    JsonNode n = Json.MAPPER.readTree(r.out());
    assertThat(r.exit()).isZero();
    assertThat(n.get("verified").asBoolean()).isTrue();
    assertThat(n.get("tcb_status").asText()).isEqualTo("UpToDate");
    assertThat(n.at("/body/mr_td").asText()).hasSize(96);
    assertThat(n.at("/pck/fmspc").asText()).isEqualTo("b0c06f000000");
  }

  @Test
  void verifyWhenCollateralExpiredThenExitOneWithReason() throws Exception {
    Run r = run("tdx", "verify", DQ_QUOTE, "--collateral", DQ_COLLATERAL,
        "--at", "2026-01-01T00:00:00Z", "--json");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(Json.MAPPER.readTree(r.out()).at("/error/reason").asText()).isEqualTo("CRL_EXPIRED");
  }

  @Test
  void verifyWhenGoTdxGuestQuoteWithDirectoryCollateralThenNoMatchingTcbLevel(@TempDir Path dir)
      throws Exception {
    String g = VECTORS + "go-tdx-guest/";
    Files.copy(Path.of(g + "sample_tcbInfo_response"), dir.resolve("tcb_info.json"));
    Files.copy(Path.of(g + "tcb_info_issuer_chain.pem"), dir.resolve("tcb_info_issuer_chain.pem"));
    Files.copy(Path.of(g + "sample_qeIdentity_response"), dir.resolve("qe_identity.json"));
    Files.copy(Path.of(g + "tcb_info_issuer_chain.pem"),
        dir.resolve("qe_identity_issuer_chain.pem"));
    Files.copy(Path.of(g + "pckcrl"), dir.resolve("pck_crl.der"));
    Files.copy(Path.of(g + "pck_crl_issuer_chain.pem"), dir.resolve("pck_crl_issuer_chain.pem"));
    Files.copy(Path.of(g + "rootcrl.der"), dir.resolve("root_ca_crl.der"));
    Run r = run("tdx", "verify", g + "tdx_prod_quote_SPR_E4.dat", "--collateral", dir.toString(),
        "--at", "2023-07-01T01:00:00Z");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("REJECTED (TCB_LEVEL_NOT_FOUND)")
        .contains("39 trailing bytes ignored");
  }

  @Test
  void verifyWhenNoCollateralThenRejectedUnlessSignaturesOnly() {
    String q = VECTORS + "go-tdx-guest/quote_v5_sample.dat";
    Run strict = run("tdx", "verify", q, "--at", "2026-02-03T01:00:00Z");
    Run sigs = run("tdx", "verify", q, "--at", "2026-02-03T01:00:00Z", "--signatures-only");
    assertThat(strict.exit()).isEqualTo(1);
    assertThat(strict.out()).contains("COLLATERAL_UNAVAILABLE");
    assertThat(sigs.exit()).isZero();
    assertThat(sigs.out()).contains("SIGNATURES OK").contains("TDX 1.5");
  }

  @Test
  void verifyWhenMalformedOrMissingFileThenTypedExitCodes(@TempDir Path dir) throws Exception {
    Path junk = dir.resolve("junk.dat");
    Files.write(junk, new byte[] {4, 0, 2, 0});
    assertThat(run("tdx", "verify", junk.toString()).exit()).isEqualTo(1);
    assertThat(run("tdx", "verify", junk.toString()).out()).contains("TRUNCATED");
    assertThat(run("tdx", "verify", dir.resolve("absent").toString()).exit()).isEqualTo(3);
    assertThat(run("tdx", "verify").exit()).isEqualTo(2);
    assertThat(run("tdx", "verify", "--help").exit()).isZero();
  }

  @Test
  void simulateThenVerifyOnlyWhenDevelopmentRootIsConfigured(@TempDir Path dir) throws Exception {
    Path quote = dir.resolve("q.dat");
    String mrTd = "ab".repeat(48);
    Run sim = run("tdx", "simulate", "--pki", dir.resolve("pki").toString(),
        "--out", quote.toString(), "--mr-td", mrTd, "--report-data", "0102");
    assertThat(sim.exit()).as(sim.err()).isZero();
    String bundle = quote + ".collateral.json";
    Run untrusted = run("tdx", "verify", quote.toString(), "--collateral", bundle, "--json");
    assertThat(untrusted.exit()).isEqualTo(1);
    assertThat(Json.MAPPER.readTree(untrusted.out()).at("/error/reason").asText())
        .isEqualTo("UNTRUSTED_ROOT");
    Run trusted = run("tdx", "verify", quote.toString(), "--collateral", bundle,
        "--trust-root", dir.resolve("pki/root-ca.pem").toString(), "--json");
    JsonNode n = Json.MAPPER.readTree(trusted.out());
    assertThat(trusted.exit()).isZero();
    assertThat(n.get("tcb_status").asText()).isEqualTo("UpToDate");
    assertThat(n.at("/body/mr_td").asText()).isEqualTo(mrTd);
    assertThat(n.at("/body/report_data").asText()).startsWith("0102000000");
    Run again = run("tdx", "simulate", "--pki", dir.resolve("pki").toString(),
        "--out", quote.toString());
    assertThat(again.out()).contains("using development PKI");
    assertThat(run("tdx", "simulate", "--pki", dir.toString(), "--out", quote.toString(),
        "--mr-td", "abcd").exit()).isEqualTo(2);
  }

  @Test
  void replayWhenCcelMatchesQuoteThenExitZero() {
    String c = VECTORS + "go-tdx-guest-ccel/";
    Run r = run("tdx", "replay", c + "ccel_data.dat", "--quote", c + "cos-113-tdx-quote.dat");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("MATCH").contains("RTMR0 3fa2f61f")
        .contains("EV_EFI_BOOT_SERVICES_APPLICATION");
  }

  @Test
  void replayWhenQuoteFromAnotherTdThenExitOneNamingRegisters() throws Exception {
    Run r = run("tdx", "replay", VECTORS + "go-tdx-guest-ccel/ccel_data.dat", "--quote",
        VECTORS + "dcap-qvl/tdx_quote", "--json");
    JsonNode n = Json.MAPPER.readTree(r.out());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(n.get("matches_quote").asBoolean()).isFalse();
    assertThat(n.get("mismatches").size()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void replayWhenLogIsNotACcelLogThenReasonInTheCommonErrorShape(@TempDir Path dir)
      throws Exception {
    Path zeros = Files.write(dir.resolve("zeros.log"), new byte[100]);
    Run r = run("tdx", "replay", zeros.toString(), "--json");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(Json.MAPPER.readTree(r.out()).at("/error/reason").asText())
        .isEqualTo("MALFORMED_SPEC_ID_EVENT");
  }
}
