package dev.carapace.attestation.service.web;

import static dev.carapace.attestation.service.DevelopmentFixtures.BC;
import static dev.carapace.attestation.service.DevelopmentFixtures.MAPPER;
import static dev.carapace.attestation.service.DevelopmentFixtures.RANDOM;
import static dev.carapace.attestation.service.DevelopmentFixtures.TDX_PKI;
import static dev.carapace.attestation.service.DevelopmentFixtures.reportData;
import static dev.carapace.attestation.service.DevelopmentFixtures.runtimeData;
import static dev.carapace.attestation.service.DevelopmentFixtures.tdxEvidence;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.attestation.service.DevelopmentFixtures;
import dev.carapace.attestation.service.ServiceClient;
import dev.carapace.attestation.service.TestVectors;
import dev.carapace.tdx.eventlog.EventLogParser;
import dev.carapace.tdx.eventlog.RtmrReplayer;
import dev.carapace.tdx.quote.TdAttributes;
import dev.carapace.tdx.simulate.SimulatedPlatform;
import dev.carapace.tdx.simulate.TdQuoteRequest;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TDX evidence from our simulator, signed by the development PKI that dev mode trusts, through
 * {@code POST /attestation}: accepted and rejected for each reason.
 */
class TdxAttestationTest extends DevModeHttpTest {
  private static final TdxQuoteSimulator SIMULATOR = simulator(SimulatedPlatform.defaults());

  static TdxQuoteSimulator simulator(SimulatedPlatform platform) {
    try {
      return new TdxQuoteSimulator(TDX_PKI, platform, RANDOM, BC, Clock.systemUTC());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Bytes randomMrTd() {
    byte[] b = new byte[48];
    RANDOM.nextBytes(b);
    return Bytes.copyOf(b);
  }

  static String nonce() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  private void registerMrTd(Bytes mrTd, String expiration) {
    ObjectNode rv = MAPPER.createObjectNode().put("name", "tdx.mr_td");
    rv.putArray("values").add(mrTd.toHex());
    if (expiration != null) {
      rv.put("expiration", expiration);
    }
    assertThat(client.postJson("/reference-values", rv.toString()).statusCode()).isEqualTo(201);
  }

  private static void assertProblem(HttpResponse<String> r, int status, String type) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode p = ServiceClient.json(r);
    assertThat(p.get("type").asText()).isEqualTo("https://carapace.dev/problems/" + type);
    assertThat(p.get("status").asInt()).isEqualTo(status);
    assertThat(p.get("title").asText()).isNotEmpty();
  }

  @Test
  void attestWhenSimulatedTdxWithRegisteredMrTdThenAffirmingTokenVerifiesWithJose4j()
      throws Exception {
    Bytes mrTd = randomMrTd();
    registerMrTd(mrTd, null);
    ObjectNode rd = runtimeData(nonce());
    byte[] quote = SIMULATOR.quote(TdQuoteRequest.of(mrTd, reportData(rd)));

    HttpResponse<String> r = client.attest("tdx", tdxEvidence(quote), rd, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    JsonNode claims = verifiedClaims(r);
    assertThat(claims.get("eat_profile").asText()).isEqualTo("tag:github.com,2023:veraison/ear");
    assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(300);
    assertThat(claims.at("/ear.verifier-id/build").asText()).contains("attestation-service");
    JsonNode cpu0 = cpu0(claims);
    assertThat(cpu0.get("ear.status").asText()).isEqualTo("affirming");
    assertThat(cpu0.get("ear.appraisal-policy-id").asText()).isEqualTo("default");
    JsonNode vector = cpu0.get("ear.trustworthiness-vector");
    assertThat(vector.get("hardware").asInt()).isEqualTo(2);
    assertThat(vector.get("executables").asInt()).isEqualTo(3);
    JsonNode evidence = cpu0.get("ear.veraison.annotated-evidence");
    assertThat(evidence.at("/tdx/quote/body/mr_td").asText()).isEqualTo(mrTd.toHex());
    assertThat(evidence.at("/tdx/quote/header/version").asText()).isEqualTo("0400");
    assertThat(evidence.at("/tdx/tcb_status").asText()).isEqualTo("UpToDate");
    assertThat(evidence.at("/tdx/td_attributes/debug").asBoolean()).isFalse();
    assertThat(evidence.get("report_data").asText()).isEqualTo(reportData(rd).toHex());
    assertThat(evidence.get("runtime_data_claims")).isEqualTo(rd.get("structured"));
    assertThat(evidence.has("init_data")).isFalse();
  }

  @Test
  void attestWhenKbsVectorRuntimeDataThenReportDataIsTheVectorsPaddedDigest() throws Exception {
    JsonNode v = TestVectors.kbs().get("runtime_data_binding");
    ObjectNode rd = MAPPER.createObjectNode();
    rd.set("structured", v.get("structured_runtime_data"));
    Bytes expected = Bytes.fromHex(v.get("tdx_snp_report_data_64_hex").asText());
    byte[] quote = SIMULATOR.quote(TdQuoteRequest.of(randomMrTd(), expected));

    HttpResponse<String> r = client.attest("tdx", tdxEvidence(quote), rd, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(cpu0(verifiedClaims(r)).at("/ear.veraison.annotated-evidence/report_data").asText())
        .isEqualTo(expected.toHex());
  }

  @Test
  void attestWhenMrTdNotInReferenceValuesThenTokenIsWarningNotAffirming() throws Exception {
    ObjectNode rd = runtimeData(nonce());
    byte[] quote = SIMULATOR.quote(TdQuoteRequest.of(randomMrTd(), reportData(rd)));

    HttpResponse<String> r = client.attest("tdx", tdxEvidence(quote), rd, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode cpu0 = cpu0(verifiedClaims(r));
    assertThat(cpu0.get("ear.status").asText()).isEqualTo("warning");
    assertThat(cpu0.at("/ear.trustworthiness-vector/executables").asInt()).isEqualTo(33);
    assertThat(cpu0.at("/ear.veraison.policy-claims/reasons").toString())
        .contains("executables=33");
  }

  @Test
  void attestWhenReferenceValueExpiredThenTokenIsNotAffirming() throws Exception {
    Bytes mrTd = randomMrTd();
    registerMrTd(mrTd, CLOCK.instant().plusSeconds(60).toString());
    ObjectNode rd = runtimeData(nonce());
    String evidence = tdxEvidence(SIMULATOR.quote(TdQuoteRequest.of(mrTd, reportData(rd))));
    assertThat(cpu0(verifiedClaims(client.attest("tdx", evidence, rd, null)))
        .get("ear.status").asText()).isEqualTo("affirming");

    CLOCK.advance(Duration.ofSeconds(61));
    HttpResponse<String> r = client.attest("tdx", evidence, rd, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode cpu0 = cpu0(verifiedClaims(r));
    assertThat(cpu0.get("ear.status").asText()).isEqualTo("warning");
    assertThat(cpu0.at("/ear.trustworthiness-vector/executables").asInt()).isEqualTo(33);
    JsonNode listed = ServiceClient.json(client.get("/reference-values/tdx.mr_td"));
    assertThat(listed.get("expired").asBoolean()).isTrue();
  }

  @Test
  void attestWhenQuoteByteFlippedThenSignatureInvalid() throws Exception {
    ObjectNode rd = runtimeData(nonce());
    byte[] quote = SIMULATOR.quote(TdQuoteRequest.of(randomMrTd(), reportData(rd)));
    quote[48 + 16 + 48 + 48 + 8 + 8 + 8] ^= 1; // first byte of MRTD in the signed body

    HttpResponse<String> r = client.attest("tdx", tdxEvidence(quote), rd, null);

    assertProblem(r, 403, "signature-invalid");
    assertThat(ServiceClient.json(r).get("verifier_reason").asText())
        .isEqualTo("QUOTE_SIGNATURE_INVALID");
  }

  @Test
  void attestWhenReportDataBindsOtherRuntimeDataThenReportDataMismatch() throws Exception {
    ObjectNode rd = runtimeData(nonce());
    byte[] quote =
        SIMULATOR.quote(TdQuoteRequest.of(randomMrTd(), reportData(runtimeData(nonce()))));

    assertProblem(client.attest("tdx", tdxEvidence(quote), rd, null), 403, "report-data-mismatch");
  }

  @Test
  void attestWhenDebugTdThenContraindicated() throws Exception {
    Bytes mrTd = randomMrTd();
    registerMrTd(mrTd, null);
    ObjectNode rd = runtimeData(nonce());
    byte[] quote = SIMULATOR.quote(TdQuoteRequest.builder().mrTd(mrTd).reportData(reportData(rd))
        .tdAttributes(TdAttributes.DEBUG | TdAttributes.SEPT_VE_DISABLE).build());

    HttpResponse<String> r = client.attest("tdx", tdxEvidence(quote), rd, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode cpu0 = cpu0(verifiedClaims(r));
    assertThat(cpu0.get("ear.status").asText()).isEqualTo("contraindicated");
    assertThat(cpu0.at("/ear.trustworthiness-vector/hardware").asInt()).isEqualTo(97);
    assertThat(cpu0.at("/ear.trustworthiness-vector/configuration").asInt()).isEqualTo(96);
    assertThat(cpu0.at("/ear.veraison.annotated-evidence/tdx/td_attributes/debug").asBoolean())
        .isTrue();
  }

  @Test
  void attestWhenTcbOutOfDateThenContraindicated() throws Exception {
    // One SGX component below the development collateral's UpToDate level (5): OutOfDate.
    TdxQuoteSimulator outdated = simulator(SimulatedPlatform.defaults().withSgxTcbComponent(0, 4));
    Bytes mrTd = randomMrTd();
    registerMrTd(mrTd, null);
    ObjectNode rd = runtimeData(nonce());
    byte[] quote = outdated.quote(TdQuoteRequest.of(mrTd, reportData(rd)));

    HttpResponse<String> r = client.attest("tdx", tdxEvidence(quote), rd, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode cpu0 = cpu0(verifiedClaims(r));
    assertThat(cpu0.at("/ear.veraison.annotated-evidence/tdx/tcb_status").asText())
        .isEqualTo("OutOfDate");
    assertThat(cpu0.at("/ear.trustworthiness-vector/hardware").asInt()).isEqualTo(96);
    assertThat(cpu0.get("ear.status").asText()).isEqualTo("contraindicated");
  }

  @Test
  void attestWhenInitDataBoundToMrConfigIdThenInitDataClaims() throws Exception {
    JsonNode v = TestVectors.kbs().get("initdata");
    Bytes mrTd = randomMrTd();
    registerMrTd(mrTd, null);
    ObjectNode rd = runtimeData(nonce());
    byte[] quote = SIMULATOR.quote(TdQuoteRequest.builder().mrTd(mrTd).reportData(reportData(rd))
        .mrConfigId(Bytes.fromHex(v.get("tdx_mr_config_id_hex").asText())).build());
    ObjectNode init = MAPPER.createObjectNode().put("init_data_toml", v.get("toml_body").asText());

    HttpResponse<String> r = client.attest("tdx", tdxEvidence(quote), rd, init);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode cpu0 = cpu0(verifiedClaims(r));
    JsonNode evidence = cpu0.get("ear.veraison.annotated-evidence");
    assertThat(evidence.get("init_data").asText()).isEqualTo(v.get("sha384_hex").asText());
    assertThat(evidence.at("/init_data_claims/aa.toml/token_configs/kbs/url").asText())
        .isEqualTo("http://kbs.example:8080");
    assertThat(cpu0.at("/ear.trustworthiness-vector/configuration").asInt()).isEqualTo(2);
  }

  @Test
  void attestWhenInitDataNotInMrConfigIdThenInitDataMismatch() throws Exception {
    JsonNode v = TestVectors.kbs().get("initdata");
    ObjectNode rd = runtimeData(nonce());
    byte[] quote = SIMULATOR.quote(TdQuoteRequest.of(randomMrTd(), reportData(rd)));
    ObjectNode init = MAPPER.createObjectNode().put("init_data_toml", v.get("toml_body").asText());

    assertProblem(client.attest("tdx", tdxEvidence(quote), rd, init), 403, "init-data-mismatch");
  }

  @Test
  void attestWhenEventLogReplaysToRtmrsThenEventsInClaimsElseEventLogMismatch() throws Exception {
    byte[] ccel = TestVectors.bytes("trustee/CCEL_data_ovmf");
    List<Bytes> rtmrs = RtmrReplayer.replay(EventLogParser.parse(ccel)).values();
    ObjectNode rd = runtimeData(nonce());
    byte[] good = SIMULATOR.quote(TdQuoteRequest.builder().mrTd(randomMrTd())
        .reportData(reportData(rd)).rtmrs(rtmrs).build());
    byte[] bad = SIMULATOR.quote(TdQuoteRequest.of(randomMrTd(), reportData(rd)));

    HttpResponse<String> ok = client.attest("tdx", withEventLog(good, ccel), rd, null);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    JsonNode events =
        cpu0(verifiedClaims(ok)).at("/ear.veraison.annotated-evidence/tdx/uefi_event_logs");
    assertThat(events.size()).isGreaterThan(10);
    assertThat(events.get(0).has("type_name")).isTrue();

    assertProblem(client.attest("tdx", withEventLog(bad, ccel), rd, null), 403,
        "event-log-mismatch");
  }

  private static String withEventLog(byte[] quote, byte[] ccel) {
    ObjectNode e = MAPPER.createObjectNode();
    e.put("quote", Base64.getEncoder().encodeToString(quote));
    e.put("cc_eventlog", Base64.getEncoder().encodeToString(ccel));
    return DevelopmentFixtures.b64url(e.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void attestWhenUnknownTeeThenUnsupportedTee() {
    assertProblem(client.attest("sgx", tdxEvidence(new byte[16]), null, null), 400,
        "unsupported-tee");
  }

  @Test
  void attestWhenMalformedBodyThenMalformedRequestOrEvidence() {
    assertProblem(client.postJson("/attestation", "{\"verification_requests\": ["), 400,
        "malformed-request");
    assertProblem(client.postJson("/attestation", "{\"verification_requests\": [{\"tee\":"
        + "\"tdx\"}]}"), 400, "malformed-request");
    assertProblem(client.postJson("/attestation", "{\"verification_requests\": []}"), 400,
        "malformed-request");
    assertProblem(client.postJson("/attestation", "{\"verification_requests\": [{\"tee\":"
        + "\"tdx\",\"evidence\":\"AA\",\"runtime_data\":{\"structured\":{\"nonce\":\"a\","
        + "\"nonce\":\"b\"}}}]}"), 400, "malformed-request");
    assertProblem(client.attest("tdx", "***", null, null), 400, "malformed-request");
    String notAQuote = DevelopmentFixtures.b64url("{\"quote\":\"AAAA\"}".getBytes());
    assertProblem(client.attest("tdx", notAQuote, null, null), 400, "malformed-evidence");
    String noQuote = DevelopmentFixtures.b64url("{\"report\":\"AAAA\"}".getBytes());
    assertProblem(client.attest("tdx", noQuote, null, null), 400, "malformed-evidence");
    assertProblem(client.attest("tdx", noQuote, MAPPER.createObjectNode().put("x", 1), null),
        400, "invalid-runtime-data");
  }

  @Test
  void attestWhenBodyOverLimitThenPayloadTooLarge() {
    String big = "{\"verification_requests\":[{\"tee\":\"tdx\",\"evidence\":\""
        + "A".repeat(4 * 1024 * 1024) + "\"}]}";
    assertProblem(client.postJson("/attestation", big), 413, "payload-too-large");
    // Without Content-Length (chunked): refused while reading.
    HttpResponse<String> chunked = client.send("POST", "/attestation", "application/json",
        java.net.http.HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.US_ASCII))));
    assertProblem(chunked, 413, "payload-too-large");
  }

  @Test
  void attestWhenChallengeNonceReusedThenChallengeInvalid() throws Exception {
    JsonNode challenge = ServiceClient.json(client.postJson("/challenge", "{}"));
    ObjectNode rd = runtimeData(challenge.get("nonce").asText());
    String evidence = tdxEvidence(SIMULATOR.quote(TdQuoteRequest.of(randomMrTd(), reportData(rd))));

    assertThat(client.attest("tdx", evidence, rd, null).statusCode()).isEqualTo(200);
    assertProblem(client.attest("tdx", evidence, rd, null), 403, "challenge-invalid");
  }

  @Test
  void attestWhenUnknownPolicyThenPolicyNotFound() throws Exception {
    ObjectNode rd = runtimeData(nonce());
    String evidence = tdxEvidence(SIMULATOR.quote(TdQuoteRequest.of(randomMrTd(), reportData(rd))));
    assertProblem(client.attest("tdx", evidence, rd, null, "no-such-policy"), 404,
        "policy-not-found");
  }
}
