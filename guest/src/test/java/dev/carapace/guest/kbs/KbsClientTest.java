package dev.carapace.guest.kbs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.evidence.io.testing.MutableClock;
import dev.carapace.guest.Simulators;
import dev.carapace.guest.Vectors;
import dev.carapace.guest.attester.Attester;
import dev.carapace.guest.attester.DevelopmentTdxAttester;
import dev.carapace.guest.attester.SampleAttester;
import dev.carapace.guest.kbs.KbsClientException.Reason;
import dev.carapace.kbs.protocol.KbsJson;
import dev.carapace.kbs.protocol.RuntimeDataBinding;
import dev.carapace.tdx.quote.QuoteParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KbsClientTest {
  private static final String PATH = "default/key/model";
  private FakeKbs kbs;
  private final MutableClock clock = new MutableClock(Simulators.NOW);
  private final List<Duration> pauses = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    kbs = new FakeKbs();
  }

  @AfterEach
  void stop() {
    kbs.close();
  }

  private KbsClient.Builder client(Attester attester) throws Exception {
    return KbsClient.builder(kbs.uri()).attester(attester).keyPair(Vectors.teeKeyPair())
        .clock(clock).sleeper(pauses::add).timeout(Duration.ofSeconds(10));
  }

  private static Reason reason(Throwable e) {
    return ((KbsClientException) e).reason();
  }

  @Test
  void getResourceWhenCookieModeThenRcarThenCookieGetAndDecryptedSecret() throws Exception {
    Resource r = client(new SampleAttester()).build().getResource(PATH);

    assertThat(r.plaintext().toByteArray()).isEqualTo(kbs.secret);
    assertThat(r.path()).isEqualTo(PATH);
    assertThat(r.tokenExpiryValue()).contains(java.time.Instant.ofEpochSecond(kbs.tokenExp));
    assertThat(r.toString()).doesNotContain("model-key");
    FakeKbs.Request auth = kbs.requests("/kbs/v0/auth").get(0);
    assertThat(auth.json().get("version").asText()).isEqualTo("0.4.0");
    assertThat(auth.json().get("tee").asText()).isEqualTo("sample");
    assertThat(auth.json().at("/extra-params/supported-hash-algorithms").toString())
        .isEqualTo("[\"sha256\",\"sha384\",\"sha512\"]");
    assertThat(auth.cookie()).isNull();
    assertThat(kbs.requests("/kbs/v0/attest").get(0).cookie())
        .isEqualTo("kbs-session-id=00000000000000000000000000000001");
    FakeKbs.Request get = kbs.requests("/kbs/v0/resource/").get(0);
    assertThat(get.path()).isEqualTo("/kbs/v0/resource/default/key/model");
    assertThat(get.cookie()).isEqualTo("kbs-session-id=00000000000000000000000000000001");
    assertThat(get.authorization()).isNull();
  }

  @Test
  void attestWhenVectorKeyAndNonceThenBodyIsTheVectorBodyInTreeAndKeyOrder() throws Exception {
    client(new SampleAttester()).build().getResource(PATH);

    JsonNode expected = Vectors.kbs().get("attest_request_sample_tee");
    FakeKbs.Request attest = kbs.requests("/kbs/v0/attest").get(0);
    assertThat(attest.json()).isEqualTo(expected);
    assertThat(new String(attest.body(), StandardCharsets.UTF_8))
        .isEqualTo(KbsJson.write(expected));
  }

  @Test
  void attestWhenInitDataGivenThenBodyIsTheVectorBodyWithInitData() throws Exception {
    JsonNode expected = Vectors.kbs().get("attest_request_sample_tee_with_initdata");
    client(new SampleAttester()).initData(expected.at("/init-data/body").asText()).build()
        .getResource(PATH);

    FakeKbs.Request attest = kbs.requests("/kbs/v0/attest").get(0);
    assertThat(new String(attest.body(), StandardCharsets.UTF_8))
        .isEqualTo(KbsJson.write(expected));
  }

  @Test
  void runtimeDataWhenVectorKeyAndNonceThenCanonicalStringAndDigestMatchVector()
      throws Exception {
    JsonNode v = Vectors.kbs().get("runtime_data_binding");
    var key = Vectors.teeKeyPair().teePublicKey();

    assertThat(RuntimeDataBinding.canonical(key, kbs.nonce, ""))
        .isEqualTo(v.get("jcs_canonical_string").asText());
    assertThat(RuntimeDataBinding.digest(key, kbs.nonce, "",
        RuntimeDataBinding.HashAlgorithm.SHA384).toHex())
        .isEqualTo(v.get("digest_hex").asText());
  }

  @Test
  void attestWhenTdxThenQuoteReportDataIsSha384OfCanonicalRuntimeDataPadded() throws Exception {
    Attester tdx = DevelopmentTdxAttester.of(Simulators.tdx(), Bytes.zeros(48),
        List.of(Bytes.zeros(48), Bytes.zeros(48), Bytes.zeros(48), Bytes.zeros(48)));
    client(tdx).build().getResource(PATH);

    JsonNode body = kbs.requests("/kbs/v0/attest").get(0).json();
    byte[] quote = Base64.getDecoder().decode(body.at("/tee-evidence/primary_evidence/quote")
        .asText());
    assertThat(QuoteParser.parse(quote).body().reportData().toHex()).isEqualTo(
        Vectors.kbs().at("/runtime_data_binding/tdx_snp_report_data_64_hex").asText());
    assertThat(kbs.requests("/kbs/v0/auth").get(0).json().get("tee").asText()).isEqualTo("tdx");
  }

  @Test
  void attestWhenKbsSelectsSha512ThenReportDataIsTheSha512Digest() throws Exception {
    kbs.extraParams = "{\"selected-hash-algorithm\":\"SHA512\"}";
    client(new SampleAttester()).build().getResource(PATH);

    String canonical = Vectors.kbs().at("/runtime_data_binding/jcs_canonical_string").asText();
    byte[] sha512 = MessageDigest.getInstance("SHA-512")
        .digest(canonical.getBytes(StandardCharsets.UTF_8));
    assertThat(kbs.requests("/kbs/v0/attest").get(0).json()
        .at("/tee-evidence/primary_evidence/report_data").asText())
        .isEqualTo(Base64.getEncoder().encodeToString(sha512));
  }

  @Test
  void getResourceWhenTokenModeThenBearerHeaderAndNoCookie() throws Exception {
    KbsClient c = client(new SampleAttester()).mode(KbsClient.Mode.TOKEN).build();

    AttestationToken token = c.attestationToken();
    Resource r = c.getResource(PATH);

    assertThat(r.plaintext().toByteArray()).isEqualTo(kbs.secret);
    FakeKbs.Request get = kbs.requests("/kbs/v0/resource/").get(0);
    assertThat(get.authorization()).isEqualTo("Bearer " + token.value());
    assertThat(get.cookie()).isNull();
    assertThat(token.toString()).doesNotContain(token.value());
    assertThat(kbs.requests("/kbs/v0/auth")).hasSize(1);
  }

  @Test
  void getResourceWhen401ThenReattestsAndSucceeds() throws Exception {
    kbs.resourceResponses.add(new FakeKbs.Scripted(401,
        FakeKbs.error("TokenVerifierError", "token expired")));

    Resource r = client(new SampleAttester()).build().getResource(PATH);

    assertThat(r.plaintext().toByteArray()).isEqualTo(kbs.secret);
    assertThat(kbs.requests("/kbs/v0/auth")).hasSize(2);
    List<FakeKbs.Request> gets = kbs.requests("/kbs/v0/resource/");
    assertThat(gets).hasSize(2);
    assertThat(gets.get(1).cookie()).isEqualTo("kbs-session-id=00000000000000000000000000000002");
  }

  @Test
  void getResourceWhen401InTokenModeThenFetchesNewTokenAndSucceeds() throws Exception {
    kbs.resourceResponses.add(new FakeKbs.Scripted(401,
        FakeKbs.error("TokenVerifierError", "token expired")));

    client(new SampleAttester()).mode(KbsClient.Mode.TOKEN).build().getResource(PATH);

    assertThat(kbs.requests("/kbs/v0/attest")).hasSize(2);
    assertThat(kbs.requests("/kbs/v0/resource/")).allSatisfy(g -> {
      assertThat(g.cookie()).isNull();
      assertThat(g.authorization()).startsWith("Bearer ");
    });
  }

  @Test
  void getResourceWhen401BodyIsNotErrorJsonThenMalformedResponseWithoutRetry() throws Exception {
    kbs.resourceResponses.add(new FakeKbs.Scripted(401, "<html>denied</html>"));
    KbsClient c = client(new SampleAttester()).build();

    assertThatThrownBy(() -> c.getResource(PATH)).extracting(KbsClientTest::reason)
        .isEqualTo(Reason.MALFORMED_RESPONSE);
    assertThat(kbs.requests("/kbs/v0/resource/")).hasSize(1);
  }

  @Test
  void getResourceWhenAlways401PolicyDenyThenPolicyDeniedAfterThreeAttempts() throws Exception {
    for (int i = 0; i < 3; i++) {
      kbs.resourceResponses.add(new FakeKbs.Scripted(401,
          FakeKbs.error("PolicyDeny", "Access was denied by policy")));
    }
    KbsClient c = client(new SampleAttester()).build();

    assertThatThrownBy(() -> c.getResource(PATH)).isInstanceOfSatisfying(
        KbsClientException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.POLICY_DENIED);
          assertThat(e.errorInformation().orElseThrow().detail())
              .isEqualTo("Access was denied by policy");
        });
    assertThat(kbs.requests("/kbs/v0/resource/")).hasSize(3);
  }

  @Test
  void getResourceWhen404ThenResourceNotFoundWithoutRetry() throws Exception {
    kbs.resourceResponses.add(new FakeKbs.Scripted(404,
        FakeKbs.error("PluginNotFound", "no such plugin")));
    KbsClient c = client(new SampleAttester()).build();

    assertThatThrownBy(() -> c.getResource(PATH)).extracting(KbsClientTest::reason)
        .isEqualTo(Reason.RESOURCE_NOT_FOUND);
    assertThat(kbs.requests("/kbs/v0/resource/")).hasSize(1);
    assertThat(kbs.requests("/kbs/v0/auth")).hasSize(1);
  }

  @Test
  void getResourceWhen500ThenKbsInternalErrorWithDetail() throws Exception {
    kbs.resourceResponses.add(new FakeKbs.Scripted(500,
        FakeKbs.error("PluginInternalError", "storage offline")));
    KbsClient c = client(new SampleAttester()).build();

    assertThatThrownBy(() -> c.getResource(PATH)).isInstanceOfSatisfying(
        KbsClientException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.KBS_INTERNAL_ERROR);
          assertThat(e.errorInformation().orElseThrow().name()).isEqualTo("PluginInternalError");
        });
  }

  @Test
  void authWhenVersionMismatchThenProtocolVersionMismatchWithoutRetry() throws Exception {
    kbs.authResponses.add(new FakeKbs.Scripted(401, FakeKbs.error("AttestationError",
        "Attestation error: RCAR handshake Auth failed: KBS Client Protocol Version Mismatch: "
            + "expect =0.2.0 while the request is 0.4.0")));
    KbsClient c = client(new SampleAttester()).build();

    assertThatThrownBy(() -> c.getResource(PATH)).isInstanceOfSatisfying(
        KbsClientException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.PROTOCOL_VERSION_MISMATCH);
          assertThat(e.errorInformation().orElseThrow().detail()).contains("=0.2.0");
        });
    assertThat(kbs.requests("/kbs/v0/auth")).hasSize(1);
    assertThat(pauses).isEmpty();
  }

  @Test
  void authWhenAlwaysRefusedThenAttestationRefusedAfterFiveAttemptsWithPauses() throws Exception {
    for (int i = 0; i < 5; i++) {
      kbs.authResponses.add(new FakeKbs.Scripted(401,
          FakeKbs.error("AttestationError", "verifier unavailable")));
    }
    KbsClient c = client(new SampleAttester()).retryPause(Duration.ofMillis(250)).build();

    assertThatThrownBy(() -> c.getResource(PATH)).isInstanceOfSatisfying(
        KbsClientException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.ATTESTATION_REFUSED);
          assertThat(e.errorInformation().orElseThrow().name()).isEqualTo("AttestationError");
        });
    assertThat(kbs.requests("/kbs/v0/auth")).hasSize(5);
    assertThat(pauses).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250),
        Duration.ofMillis(250), Duration.ofMillis(250));
  }

  @Test
  void getResourceWhenTokenExpiredByClockThenNewRcar() throws Exception {
    kbs.tokenExp = Simulators.NOW.getEpochSecond() + 60;
    KbsClient c = client(new SampleAttester()).build();

    c.getResource(PATH);
    c.getResource(PATH);
    assertThat(kbs.requests("/kbs/v0/auth")).hasSize(1);
    clock.advance(Duration.ofSeconds(60));
    c.getResource(PATH);

    assertThat(kbs.requests("/kbs/v0/auth")).hasSize(2);
    assertThat(kbs.requests("/kbs/v0/resource/")).hasSize(3);
  }

  @Test
  void getResourceWhenJweTamperedThenDecryptionFailed() throws Exception {
    SecureRandom random = new SecureRandom();
    var other = dev.carapace.guest.key.TeeKeyPair.generate(
        dev.carapace.guest.key.TeeKeyAlgorithm.EC_P256, random, Vectors.BC);
    kbs.resourceResponses.add(new FakeKbs.Scripted(200, KbsJson.write(
        dev.carapace.kbs.protocol.Jwe.encrypt(new byte[] {1}, other.teePublicKey(), random,
            Vectors.BC).toJson())));
    KbsClient c = client(new SampleAttester()).build();

    assertThatThrownBy(() -> c.getResource(PATH)).extracting(KbsClientTest::reason)
        .isEqualTo(Reason.DECRYPTION_FAILED);
  }

  @Test
  void buildWhenNoKeyPairThenGeneratesP256KeyWithInjectedRandomAndProvider() throws Exception {
    KbsClient c = KbsClient.builder(kbs.uri()).attester(new SampleAttester()).clock(clock)
        .random(new SecureRandom()).provider(Vectors.BC).build();

    assertThat(c.getResource(PATH).plaintext().toByteArray()).isEqualTo(kbs.secret);
    assertThat(c.keyPair().publicJwk().get("crv").asText()).isEqualTo("P-256");
  }

  @Test
  void getResourceWhenPathInvalidThenIllegalArgumentWithoutRequest() throws Exception {
    KbsClient c = client(new SampleAttester()).build();

    assertThatThrownBy(() -> c.getResource("default/key")).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> c.getResource("default/../x")).isInstanceOf(
        IllegalArgumentException.class);
    assertThat(c.getResource("kbs:///default/key/model").path()).isEqualTo(PATH);
  }
}
