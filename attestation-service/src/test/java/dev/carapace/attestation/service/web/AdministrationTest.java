package dev.carapace.attestation.service.web;

import static dev.carapace.attestation.service.DevelopmentFixtures.BC;
import static dev.carapace.attestation.service.DevelopmentFixtures.MAPPER;
import static dev.carapace.attestation.service.DevelopmentFixtures.RANDOM;
import static dev.carapace.attestation.service.DevelopmentFixtures.TDX_PKI;
import static dev.carapace.attestation.service.DevelopmentFixtures.reportData;
import static dev.carapace.attestation.service.DevelopmentFixtures.runtimeData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.attestation.service.DevelopmentFixtures;
import dev.carapace.attestation.service.ServiceClient;
import dev.carapace.policy.DefaultPolicies;
import dev.carapace.tdx.simulate.SimulatedPlatform;
import dev.carapace.tdx.simulate.TdQuoteRequest;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Policies, reference values, challenges, JWKS, health and metrics over HTTP. */
class AdministrationTest extends DevModeHttpTest {

  private static String example(String name) throws Exception {
    try (InputStream in = DefaultPolicies.class.getResourceAsStream("examples/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void assertProblem(HttpResponse<String> r, int status, String type) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(ServiceClient.json(r).get("type").asText())
        .isEqualTo("https://carapace.dev/problems/" + type);
  }

  @Test
  void policyWhenPutGetListDeleteThenStoredAndValidated() throws Exception {
    String doc = example("tdx-confidential-pod.yaml");
    HttpResponse<String> created = client.put("/policy/tdx-confidential-pod", "application/yaml",
        doc);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(ServiceClient.json(created).get("policy-id").asText())
        .isEqualTo("tdx-confidential-pod");
    assertThat(client.put("/policy/tdx-confidential-pod", "application/yaml", doc).statusCode())
        .isEqualTo(200);

    assertThat(client.get("/policy/tdx-confidential-pod").body()).isEqualTo(doc);
    JsonNode list = ServiceClient.json(client.get("/policy"));
    assertThat(list.findValuesAsText("policy-id")).contains("default", "tdx-confidential-pod");
    assertThat(client.get("/policy/default").body()).isEqualTo(DefaultPolicies.appraisalDocument());

    assertThat(client.delete("/policy/tdx-confidential-pod").statusCode()).isEqualTo(204);
    assertProblem(client.get("/policy/tdx-confidential-pod"), 404, "policy-not-found");
    assertProblem(client.delete("/policy/tdx-confidential-pod"), 404, "policy-not-found");
  }

  @Test
  void policyWhenUnknownFieldThenInvalidPolicyWithLineAndReason() {
    String doc = "id: bad\nversion: 1\ntrustworthiness:\n  hardware:\n    rules:\n"
        + "      - when: claims.tdx.tcb_status == \"UpToDate\"\n        value: 2\n"
        + "        colour: blue\n";
    HttpResponse<String> r = client.put("/policy/bad", "application/yaml", doc);
    assertProblem(r, 400, "invalid-policy");
    JsonNode p = ServiceClient.json(r);
    assertThat(p.get("line").asInt()).isEqualTo(8);
    assertThat(p.get("detail").asText()).contains("UNKNOWN_FIELD");
  }

  @Test
  void policyWhenCelTypeErrorThenInvalidPolicyWithLine() {
    String doc = "id: bad-type\nversion: 1\ntrustworthiness:\n  hardware:\n    rules:\n"
        + "      - when: claims.tdx.tcb_status == \"UpToDate\" && 3 == \"UpToDate\"\n"
        + "        value: 2\n";
    HttpResponse<String> r = client.put("/policy/bad-type", "application/yaml", doc);
    assertProblem(r, 400, "invalid-policy");
    assertThat(ServiceClient.json(r).get("line").asInt()).isEqualTo(6);
    assertThat(ServiceClient.json(r).get("detail").asText()).contains("EXPRESSION_TYPE");
  }

  @Test
  void policyWhenIdDiffersFromPathThenInvalidPolicy() throws Exception {
    assertProblem(client.put("/policy/other", "application/yaml",
        example("snp-confidential-pod.yaml")), 400, "invalid-policy");
  }

  @Test
  void policyWhenTrusteeStyleUploadThenUsedByAttestation() throws Exception {
    String doc = "id: always-hw\nversion: 1\ntrustworthiness:\n  hardware:\n    rules:\n"
        + "      - when: claims.tdx.tcb_status == \"UpToDate\"\n        value: 2\n"
        + "        reason: up to date\n";
    ObjectNode body = MAPPER.createObjectNode().put("policy_id", "always-hw")
        .put("policy", Base64.getUrlEncoder().withoutPadding()
            .encodeToString(doc.getBytes(StandardCharsets.UTF_8)));
    assertThat(client.postJson("/policy", body.toString()).statusCode()).isEqualTo(201);

    TdxQuoteSimulator sim = new TdxQuoteSimulator(TDX_PKI, SimulatedPlatform.defaults(), RANDOM,
        BC, Clock.systemUTC());
    ObjectNode rd = runtimeData("admin-1");
    byte[] quote = sim.quote(TdQuoteRequest.of(Bytes.zeros(48), reportData(rd)));
    HttpResponse<String> r = client.attest("tdx", DevelopmentFixtures.tdxEvidence(quote), rd,
        null, "always-hw", "ignored-second-id");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode cpu0 = cpu0(verifiedClaims(r));
    assertThat(cpu0.get("ear.appraisal-policy-id").asText()).isEqualTo("always-hw");
    assertThat(cpu0.get("ear.status").asText()).isEqualTo("affirming");
    assertThat(client.delete("/policy/always-hw").statusCode()).isEqualTo(204);
  }

  @Test
  void referenceValuesWhenRegisteredListedDeletedThenAsStored() throws Exception {
    ObjectNode rv = MAPPER.createObjectNode().put("name", "tdx.rtmr_1")
        .put("expiration", "2099-01-01T00:00:00Z");
    rv.putArray("values").add("aa").add("bb");
    HttpResponse<String> created = client.postJson("/reference-values", rv.toString());
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode got = ServiceClient.json(client.get("/reference-values/tdx.rtmr_1"));
    assertThat(got.get("values")).hasSize(2);
    assertThat(got.get("expiration").asText()).isEqualTo("2099-01-01T00:00:00Z");
    assertThat(got.get("expired").asBoolean()).isFalse();
    assertThat(ServiceClient.json(client.get("/reference-values")).findValuesAsText("name"))
        .contains("tdx.rtmr_1");
    assertThat(client.delete("/reference-values/tdx.rtmr_1").statusCode()).isEqualTo(204);
    assertProblem(client.get("/reference-values/tdx.rtmr_1"), 404, "reference-value-not-found");
  }

  @Test
  void referenceValuesWhenTrusteeRvpsMessageThenEachEntryRegistered() {
    String payload = Base64.getEncoder().encodeToString(
        "{\"svn\":[\"1\"],\"major_version\":1}".getBytes(StandardCharsets.UTF_8));
    ObjectNode msg = MAPPER.createObjectNode().put("version", "0.1.0").put("type", "sample")
        .put("payload", payload);
    HttpResponse<String> r = client.postJson("/reference-values", msg.toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(ServiceClient.json(client.get("/reference-values/major_version"))
        .get("values").get(0).asText()).isEqualTo("1");
  }

  @Test
  void referenceValuesWhenExpirationInThePastOrBadShapeThenInvalid() {
    ObjectNode rv = MAPPER.createObjectNode().put("name", "x").put("expiration",
        "2000-01-01T00:00:00Z");
    rv.putArray("values").add("1");
    assertProblem(client.postJson("/reference-values", rv.toString()), 400,
        "invalid-reference-value");
    ObjectNode nested = MAPPER.createObjectNode().put("name", "x");
    nested.putArray("values").addObject();
    assertProblem(client.postJson("/reference-values", nested.toString()), 400,
        "invalid-reference-value");
    assertProblem(client.postJson("/reference-values", "{\"values\":[]}"), 400,
        "malformed-request");
  }

  @Test
  void challengeWhenIssuedThenDistinctNoncesWithExpiry() {
    JsonNode a = ServiceClient.json(client.postJson("/challenge", "{\"tee\":\"tdx\"}"));
    JsonNode b = ServiceClient.json(client.send("POST", "/challenge", null,
        java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertThat(Base64.getDecoder().decode(a.get("nonce").asText())).hasSize(32);
    assertThat(a.get("nonce").asText()).isNotEqualTo(b.get("nonce").asText());
    assertThat(a.get("expires_at").asText()).isNotEmpty();
  }

  @Test
  void jwksWhenFetchedThenOneEs256KeyWithKidAndNoPrivatePart() {
    HttpResponse<String> r = client.get("/.well-known/jwks.json");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode key = ServiceClient.json(r).get("keys").get(0);
    assertThat(key.get("kty").asText()).isEqualTo("EC");
    assertThat(key.get("crv").asText()).isEqualTo("P-256");
    assertThat(key.get("alg").asText()).isEqualTo("ES256");
    assertThat(key.get("kid").asText()).isNotEmpty();
    assertThat(key.has("d")).isFalse();
  }

  @Test
  void actuatorWhenHealthAndPrometheusThenUpAndAttestationMetrics() {
    assertThat(ServiceClient.json(client.get("/actuator/health")).get("status").asText())
        .isEqualTo("UP");
    client.attest("no-such-tee", "AAAA", null, null);
    HttpResponse<String> metrics = client.get("/actuator/prometheus");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("carapace_attestation_requests_total")
        .contains("outcome=\"unsupported_tee\"").contains("tee=\"unsupported\"")
        .contains("carapace_attestation_duration_seconds_bucket");
  }

  @Test
  void unknownPathOrMethodThenProblemDetails() {
    assertProblem(client.get("/no/such/path"), 404, "not-found");
    assertProblem(client.get("/attestation"), 405, "method-not-allowed");
    assertProblem(client.send("POST", "/attestation", "text/plain",
        java.net.http.HttpRequest.BodyPublishers.ofString("x")), 415, "unsupported-media-type");
  }
}
