package dev.carapace.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.kbs.protocol.KbsJson;
import dev.carapace.keybroker.store.FileKeyValueStore;
import dev.carapace.keybroker.store.KeyValueStore.Durability;
import dev.carapace.snp.simulate.SnpReportSimulator;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwa.AlgorithmConstraints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The KBS protocol over HTTP against a broker with its built-in attestation service in development
 * mode: simulated TDX and SNP guests, a real-vector negative, every refusal with its error and no
 * secret, the JWE checked by an independent JOSE implementation, and a second replica sharing the
 * state directory.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RcarHttpTest {
  static final Path DATA = Fixtures.dataDirectory();
  static final String ERR = "https://github.com/confidential-containers/kbs/errors/";
  static final byte[] MODEL_KEY = "0123456789abcdef0123456789abcdef".getBytes(
      StandardCharsets.US_ASCII);
  static final Bytes MR_TD = Bytes.fromHex("a1".repeat(48));
  static final Bytes OTHER_MR_TD = Bytes.fromHex("b2".repeat(48));
  static final Bytes SNP_MEASUREMENT = Bytes.fromHex("c3".repeat(48));

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("carapace.kbs.data-dir", DATA::toString);
    r.add("carapace.kbs.dev", () -> "true");
    r.add("carapace.attestation.snp.dev-products", () -> "Genoa");
    r.add("carapace.kbs.admin.public-keys[0]", () -> Fixtures.adminKeyFile(DATA).toString());
  }

  @Value("${local.server.port}")
  int port;
  URI base;
  TdxQuoteSimulator tdx;
  SnpReportSimulator snp;

  @BeforeAll
  void provision() throws Exception {
    base = URI.create("http://127.0.0.1:" + port);
    tdx = Fixtures.tdxSimulator();
    snp = Fixtures.snpSimulator();
    String values = "{\"tdx.mr_td\":[\"" + MR_TD.toHex() + "\"],\"snp.measurement\":[\""
        + SNP_MEASUREMENT.toHex() + "\"]}";
    String message = "{\"version\":\"0.1.0\",\"type\":\"sample\",\"payload\":\""
        + Base64.getEncoder().encodeToString(values.getBytes(StandardCharsets.UTF_8)) + "\"}";
    assertThat(admin("POST", "/kbs/v0/reference-value", message.getBytes()).statusCode())
        .isEqualTo(200);
    assertThat(admin("POST", "/kbs/v0/resource/default/key/model", MODEL_KEY).statusCode())
        .isEqualTo(200);
  }

  @Test
  void tdxGuestWithRegisteredMeasurementGetsTheKeyEncryptedToItsTeeKey() throws Exception {
    TestGuest g = TestGuest.tdx(base, tdx, MR_TD);
    g.handshake();
    HttpResponse<String> r = g.get("/kbs/v0/resource/default/key/model");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(g.decrypt(r.body())).isEqualTo(MODEL_KEY);
  }

  @Test
  void snpGuestWithRegisteredMeasurementGetsTheKey() throws Exception {
    TestGuest g = TestGuest.snp(base, snp, SNP_MEASUREMENT);
    g.handshake();
    HttpResponse<String> r = g.get("/kbs/v0/resource/default/key/model");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(g.decrypt(r.body())).isEqualTo(MODEL_KEY);
  }

  @Test
  void bearerTokenWithoutCookieGetsTheKeyAsConfidentialDataHubDoes() throws Exception {
    TestGuest g = TestGuest.tdx(base, tdx, MR_TD);
    String token = g.handshake();
    HttpResponse<String> r = g.getWithBearer("/kbs/v0/resource/default/key/model", token);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(g.decrypt(r.body())).isEqualTo(MODEL_KEY);
  }

  @Test
  void jweDecryptsWithJose4jAndItsHeaderHasTheGuestReproducibleBytes() throws Exception {
    TestGuest g = TestGuest.tdx(base, tdx, MR_TD);
    g.handshake();
    JsonNode jwe = KbsJson.parse(g.get("/kbs/v0/resource/default/key/model").body().getBytes());
    assertThat(names(jwe)).containsExactly("protected", "encrypted_key", "iv", "ciphertext",
        "tag");
    String header = new String(Base64.getUrlDecoder().decode(jwe.get("protected").asText()),
        StandardCharsets.UTF_8);
    var epk = (com.fasterxml.jackson.databind.node.ObjectNode) KbsJson.parse(
        header.getBytes()).get("epk");
    assertThat(header).isEqualTo("{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"epk\":{"
        + "\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + epk.get("x").asText() + "\",\"y\":\""
        + epk.get("y").asText() + "\"}}");
    JsonWebEncryption j = new JsonWebEncryption();
    j.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
    j.setCompactSerialization(String.join(".", jwe.get("protected").asText(),
        jwe.get("encrypted_key").asText(), jwe.get("iv").asText(),
        jwe.get("ciphertext").asText(), jwe.get("tag").asText()));
    j.setKey(g.keys.getPrivate());
    assertThat(j.getPlaintextBytes()).isEqualTo(MODEL_KEY);
  }

  @Test
  void unregisteredMeasurementIsDeniedWithTheAppraisalReasonAndNoSecret() throws Exception {
    TestGuest g = TestGuest.tdx(base, tdx, OTHER_MR_TD);
    g.handshake();
    HttpResponse<String> r = g.get("/kbs/v0/resource/default/key/model");
    assertError(r, 401, "PolicyDeny");
    assertThat(detail(r)).contains("warning").contains("not among the registered");
  }

  @Test
  void oldNonceFromAnotherSessionIsRefused() throws Exception {
    TestGuest g = TestGuest.tdx(base, tdx, MR_TD);
    String oldNonce = g.auth().nonce();
    g.auth();
    HttpResponse<String> r = g.attest(oldNonce);
    assertError(r, 401, "AttestationError");
    assertThat(detail(r)).contains("nonce");
    assertError(g.get("/kbs/v0/resource/default/key/model"), 401, "TokenNotFound");
  }

  @Test
  void evidenceBoundToAnotherTeeKeyIsRefused() throws Exception {
    TestGuest g = TestGuest.tdx(base, tdx, MR_TD);
    TestGuest other = TestGuest.tdx(base, tdx, MR_TD);
    String nonce = g.auth().nonce();
    // other's evidence binds other's key; the body claims g's key
    ObjectNode body = (ObjectNode) KbsJson.parse(other.attestation(nonce).getBytes());
    ((ObjectNode) body.get("runtime-data")).set("tee-pubkey", g.teeKey.toJwk());
    HttpResponse<String> r = g.post("/kbs/v0/attest", KbsJson.write(body));
    assertError(r, 401, "AttestationError");
    assertThat(detail(r)).contains("REPORT_DATA_MISMATCH");
  }

  @Test
  void expiredSessionIsRefusedAtAttestAndResource() throws Exception {
    TestGuest g = TestGuest.tdx(base, tdx, MR_TD);
    g.handshake();
    expireAllSessions();
    assertError(g.get("/kbs/v0/resource/default/key/model"), 401, "TokenNotFound");
    TestGuest h = TestGuest.tdx(base, tdx, MR_TD);
    String nonce = h.auth().nonce();
    expireAllSessions();
    assertError(h.attest(nonce), 401, "AttestationError");
  }

  @Test
  void realGenoaEvidenceBoundToAnotherSessionIsRefused() throws Exception {
    TestGuest g = TestGuest.snp(base, snp, SNP_MEASUREMENT);
    String nonce = g.auth().nonce();
    JsonNode real = KbsJson.parse(getClass().getResourceAsStream(
        "/vectors/snp-evidence-genoa-e2e.json").readAllBytes());
    String body = KbsJson.write(new dev.carapace.kbs.protocol.Messages.Attestation(null, nonce,
        g.teeKey, real, "").toJson());
    HttpResponse<String> r = g.post("/kbs/v0/attest", body);
    assertError(r, 401, "AttestationError");
  }

  @Test
  void missingResourceIsNotFoundOnlyForAnAuthorizedRequester() throws Exception {
    TestGuest g = TestGuest.tdx(base, tdx, MR_TD);
    assertError(g.get("/kbs/v0/resource/default/key/absent"), 401, "TokenNotFound");
    g.handshake();
    assertError(g.get("/kbs/v0/resource/default/key/absent"), 404, "ResourceNotFound");
    assertError(g.get("/kbs/v0/resource/default/key"), 404, "InvalidRequestPath");
    assertError(g.get("/kbs/v0/nebula-ca/credential"), 404, "PluginNotFound");
  }

  @Test
  void resourcePolicyScopedByRepositoryDeniesOtherRepositories() throws Exception {
    String policy = "id: only-models\nversion: \"1\"\nrules:\n  - scope: {repository: models}\n"
        + "    allow: claims.ear.status == \"affirming\"\n    reason: only models are released\n";
    assertThat(admin("POST", "/kbs/v0/resource/models/key/m1", MODEL_KEY).statusCode())
        .isEqualTo(200);
    try {
      assertThat(admin("POST", "/kbs/v0/resource-policy", ("{\"policy\":\"" + Base64
          .getUrlEncoder().withoutPadding().encodeToString(policy.getBytes()) + "\"}")
          .getBytes()).statusCode()).isEqualTo(200);
      TestGuest g = TestGuest.tdx(base, tdx, MR_TD);
      g.handshake();
      assertError(g.get("/kbs/v0/resource/default/key/model"), 401, "PolicyDeny");
      HttpResponse<String> ok = g.get("/kbs/v0/resource/models/key/m1");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(g.decrypt(ok.body())).isEqualTo(MODEL_KEY);
    } finally {
      String def = dev.carapace.policy.DefaultPolicies.resourceDocument();
      assertThat(admin("POST", "/kbs/v0/resource-policy", ("{\"policy\":\"" + Base64
          .getUrlEncoder().withoutPadding().encodeToString(def.getBytes()) + "\"}").getBytes())
          .statusCode()).isEqualTo(200);
    }
  }

  @Test
  void adminCallsWithoutAValidAdminTokenAreRefusedAndChangeNothing() throws Exception {
    HttpClient c = HttpClient.newHttpClient();
    URI u = base.resolve("/kbs/v0/resource/default/key/model");
    var keyPair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String[] tokens = {null, "garbage", Fixtures.adminToken(keyPair, "admin", 600),
        Fixtures.adminToken(Fixtures.ADMIN, "reader", 600),
        Fixtures.adminToken(Fixtures.ADMIN, "admin", -120)};
    for (String t : tokens) {
      HttpRequest.Builder b = HttpRequest.newBuilder(u)
          .POST(HttpRequest.BodyPublishers.ofString("overwritten"));
      if (t != null) {
        b.header("Authorization", "Bearer " + t);
      }
      assertError(c.send(b.build(), HttpResponse.BodyHandlers.ofString()), 401,
          "AdminAuthAccess");
    }
    TestGuest g = TestGuest.tdx(base, tdx, MR_TD);
    g.handshake();
    assertThat(g.decrypt(g.get("/kbs/v0/resource/default/key/model").body()))
        .isEqualTo(MODEL_KEY);
  }

  @Test
  void wrongVersionMalformedAndOversizedBodiesGetTheirErrors() throws Exception {
    TestGuest g = TestGuest.tdx(base, tdx, MR_TD);
    HttpResponse<String> v = g.post("/kbs/v0/auth",
        "{\"version\":\"0.3.0\",\"tee\":\"tdx\",\"extra-params\":\"\"}");
    assertError(v, 401, "AttestationError");
    assertThat(detail(v)).contains("Version Mismatch").contains("0.3.0");
    assertError(g.post("/kbs/v0/auth", "{\"version\":"), 401, "AttestationError");
    String nonce = g.auth().nonce();
    assertError(g.post("/kbs/v0/attest", "{\"runtime-data\":{\"nonce\":\"" + nonce + "\"}}"),
        401, "AttestationError");
    byte[] big = new byte[3 * 1024 * 1024];
    assertError(g.post("/kbs/v0/attest", new String(big, StandardCharsets.ISO_8859_1)), 413,
        "PayloadTooLarge");
    HttpResponse<String> chunked = g.http.send(HttpRequest.newBuilder(
        base.resolve("/kbs/v0/attest")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertError(chunked, 413, "PayloadTooLarge");
  }

  @Test
  void secondReplicaSharingTheStateServesASessionStartedOnTheFirst() throws Exception {
    try (ConfigurableApplicationContext replica = new SpringApplicationBuilder(
        KeyBrokerApplication.class).run("--server.port=0", "--carapace.kbs.data-dir=" + DATA,
        "--carapace.kbs.dev=true", "--carapace.attestation.snp.dev-products=Genoa")) {
      int port2 = Integer.parseInt(replica.getEnvironment().getProperty("local.server.port"));
      TestGuest g = TestGuest.tdx(base, tdx, MR_TD);
      String nonce = g.auth().nonce();
      // the same cookie jar, now talking to the second replica
      TestGuest onReplica = new TestGuest(URI.create("http://127.0.0.1:" + port2), "tdx",
          g.evidence);
      HttpResponse<String> attest = g.http.send(HttpRequest.newBuilder(
          onReplica.base.resolve("/kbs/v0/attest")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(g.attestation(nonce))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(attest.statusCode()).as(attest.body()).isEqualTo(200);
      HttpResponse<String> r = g.get("/kbs/v0/resource/default/key/model");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(g.decrypt(r.body())).isEqualTo(MODEL_KEY);
      String token = KbsJson.parse(attest.body().getBytes()).get("token").asText();
      HttpResponse<String> viaFirst = g.getWithBearer("/kbs/v0/resource/default/key/model",
          token);
      assertThat(viaFirst.statusCode()).isEqualTo(200);
    }
  }

  private void expireAllSessions() throws Exception {
    FileKeyValueStore store = new FileKeyValueStore(DATA.resolve("state"), Clock.systemUTC());
    for (String id : store.keys("sessions")) {
      ObjectNode s = (ObjectNode) KbsJson.parse(store.get("sessions", id).orElseThrow());
      s.put("expires", System.currentTimeMillis() - 1000);
      store.put("sessions", id, KbsJson.write(s).getBytes(), Durability.VOLATILE);
    }
  }

  private HttpResponse<String> admin(String method, String path, byte[] body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path))
        .header("Authorization", "Bearer " + Fixtures.adminToken())
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> r, int status, String name)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode n = KbsJson.parse(r.body().getBytes(StandardCharsets.UTF_8));
    assertThat(names(n)).containsExactly("type", "detail");
    assertThat(n.get("type").asText()).isEqualTo(ERR + name);
    assertThat(r.body()).doesNotContain(new String(MODEL_KEY, StandardCharsets.US_ASCII))
        .doesNotContain(HexFormat.of().formatHex(MODEL_KEY))
        .doesNotContain(Base64.getEncoder().encodeToString(MODEL_KEY));
  }

  private static String detail(HttpResponse<String> r) throws Exception {
    return KbsJson.parse(r.body().getBytes(StandardCharsets.UTF_8)).get("detail").asText();
  }

  private static java.util.List<String> names(JsonNode n) {
    java.util.List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
