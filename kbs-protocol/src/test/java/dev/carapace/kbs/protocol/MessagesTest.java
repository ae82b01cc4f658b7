package dev.carapace.kbs.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carapace.kbs.protocol.KbsProtocolException.Reason;
import dev.carapace.kbs.protocol.Messages.Attestation;
import dev.carapace.kbs.protocol.Messages.AuthRequest;
import dev.carapace.kbs.protocol.RuntimeDataBinding.HashAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessagesTest {
  private static final JsonNode V = Vectors.kbs();

  @Test
  void attestationWhenVectorBodyThenRoundTripsWithGuestMemberOrder() throws Exception {
    JsonNode body = V.get("attest_request_sample_tee");
    Attestation a = Attestation.read(bytes(body.toString()));
    assertThat(a.initData()).isNull();
    assertThat(a.nonce()).isEqualTo(V.at("/challenge_response/nonce").asText());
    assertThat(a.teePubkey().toJwk()).isEqualTo(V.at("/tee_keypair/public_jwk"));
    assertThat(KbsJson.write(a.toJson())).isEqualTo(KbsJson.write(body));
    assertThat(names(a.toJson())).containsExactly("init-data", "runtime-data", "tee-evidence");
  }

  @Test
  void attestationWhenInitDataThenKept() throws Exception {
    JsonNode body = V.get("attest_request_sample_tee_with_initdata");
    Attestation a = Attestation.read(bytes(body.toString()));
    assertThat(a.initData()).isNotNull();
    assertThat(a.initData().format()).isEqualTo("toml");
    assertThat(a.initData().body()).isEqualTo(V.at("/initdata/toml_body").asText());
  }

  @Test
  void runtimeDataWhenVectorKeyAndNonceThenVectorDigestAndReportData() throws Exception {
    JsonNode v = V.get("runtime_data_binding");
    TeePublicKey key = TeePublicKey.fromJwk(v.at("/structured_runtime_data/tee-pubkey"));
    String nonce = v.at("/structured_runtime_data/nonce").asText();
    assertThat(RuntimeDataBinding.canonical(key, nonce, ""))
        .isEqualTo(v.get("jcs_canonical_string").asText());
    var digest = RuntimeDataBinding.digest(key, nonce, "", HashAlgorithm.SHA384);
    assertThat(digest.toHex()).isEqualTo(v.get("digest_hex").asText());
    assertThat(RuntimeDataBinding.reportData(digest, 64).toHex())
        .isEqualTo(v.get("tdx_snp_report_data_64_hex").asText());
  }

  @Test
  void authRequestWhenVectorThenFields() throws Exception {
    AuthRequest r = AuthRequest.read(bytes(V.get("auth_request").toString()));
    assertThat(r.version()).isEqualTo("0.4.0");
    assertThat(r.tee()).isEqualTo("sample");
    assertThat(r.extraParams().get("supported-hash-algorithms")).hasSize(4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[]", "{\"version\":1,\"tee\":\"tdx\"}", "{\"tee\":\"tdx\"}",
      "{\"version\":\"0.4.0\",\"version\":\"0.4.0\",\"tee\":\"tdx\"}", "{\"version\":\"0.4.0\""})
  void authRequestWhenMalformedThenMalformedMessage(String body) {
    assertThatThrownBy(() -> AuthRequest.read(bytes(body)))
        .isInstanceOfSatisfying(KbsProtocolException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_MESSAGE));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"kty\":\"EC\",\"crv\":\"P-384\",\"alg\":\"ECDH-ES+A256KW\",\"x\":\"AA\",\"y\":\"AA\"}",
      "{\"kty\":\"RSA\",\"alg\":\"RSA1_5\",\"n\":\"AQAB\",\"e\":\"AQAB\"}",
      "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"AA\"}"})
  void teeKeyWhenUnsupportedThenUnsupportedKey(String jwk) {
    assertThatThrownBy(() -> TeePublicKey.fromJwk(KbsJson.parse(bytes(jwk))))
        .isInstanceOfSatisfying(KbsProtocolException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_KEY));
  }

  @Test
  void teeKeyWhenPointNotOnCurveOrShortCoordinateThenMalformedKey() throws Exception {
    JsonNode good = V.at("/tee_keypair/public_jwk");
    var offCurve = good.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) offCurve).put("y",
        KbsJson.base64Url(new byte[32]));
    assertThatThrownBy(() -> TeePublicKey.fromJwk(offCurve))
        .isInstanceOfSatisfying(KbsProtocolException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_KEY));
    var shortX = good.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) shortX).put("x",
        KbsJson.base64Url(new byte[31]));
    assertThatThrownBy(() -> TeePublicKey.fromJwk(shortX))
        .isInstanceOfSatisfying(KbsProtocolException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_KEY));
  }

  @Test
  void errorInformationWhenNotJsonThenMalformed() throws Exception {
    assertThat(Messages.readError(bytes(
        "{\"type\":\"https://github.com/confidential-containers/kbs/errors/PolicyDeny\","
            + "\"detail\":\"Access was denied by policy\"}")).name()).isEqualTo("PolicyDeny");
    assertThatThrownBy(() -> Messages.readError(bytes("Unauthorized")))
        .isInstanceOf(KbsProtocolException.class);
  }

  @Test
  void resourcePathWhenDotFirstOrSlashThenInvalid() {
    assertThat(KbsProtocol.isValidResourcePath("default", "key", "model.v1")).isTrue();
    assertThat(KbsProtocol.isValidResourcePath("default", ".key", "x")).isFalse();
    assertThat(KbsProtocol.isValidResourcePath("default", "key", "a/b")).isFalse();
    assertThat(KbsProtocol.isValidResourcePath("default", "key", "")).isFalse();
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
