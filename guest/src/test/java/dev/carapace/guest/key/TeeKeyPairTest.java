package dev.carapace.guest.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.guest.Vectors;
import dev.carapace.kbs.protocol.Jwe;
import dev.carapace.kbs.protocol.JweResponse;
import dev.carapace.kbs.protocol.KbsProtocolException;
import dev.carapace.kbs.protocol.TeePublicKey;
import dev.carapace.attestation.model.Bytes;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

class TeeKeyPairTest {
  private static final SecureRandom RANDOM = new SecureRandom(new byte[] {1, 2, 3});

  @Test
  void generateWhenP256ThenJwkHasExactlyKtyCrvAlgXYWith32ByteCoordinates() throws Exception {
    TeeKeyPair k = TeeKeyPair.generate(TeeKeyAlgorithm.EC_P256, RANDOM, Vectors.BC);
    ObjectNode jwk = k.publicJwk();
    assertThat(names(jwk)).containsExactly("kty", "crv", "alg", "x", "y");
    assertThat(jwk.get("kty").asText()).isEqualTo("EC");
    assertThat(jwk.get("crv").asText()).isEqualTo("P-256");
    assertThat(jwk.get("alg").asText()).isEqualTo("ECDH-ES+A256KW");
    assertThat(unpaddedUrl(jwk.get("x"))).hasSize(32);
    assertThat(unpaddedUrl(jwk.get("y"))).hasSize(32);
    ECPublicKey pub = (ECPublicKey) k.publicKey();
    assertThat(new BigInteger(1, unpaddedUrl(jwk.get("x")))).isEqualTo(pub.getW().getAffineX());
  }

  @Test
  void generateWhenP521ThenCoordinatesAre66Bytes() throws Exception {
    for (int i = 0; i < 8; i++) {
      ObjectNode jwk = TeeKeyPair.generate(TeeKeyAlgorithm.EC_P521, RANDOM, Vectors.BC)
          .publicJwk();
      assertThat(jwk.get("crv").asText()).isEqualTo("P-521");
      assertThat(unpaddedUrl(jwk.get("x"))).hasSize(66);
      assertThat(unpaddedUrl(jwk.get("y"))).hasSize(66);
    }
  }

  @Test
  void generateWhenRsaThenJwkHasExactlyKtyAlgNEAnd256ByteModulus() throws Exception {
    ObjectNode jwk = TeeKeyPair.generate(TeeKeyAlgorithm.RSA_2048, RANDOM, Vectors.BC)
        .publicJwk();
    assertThat(names(jwk)).containsExactly("kty", "alg", "n", "e");
    assertThat(jwk.get("alg").asText()).isEqualTo("RSA-OAEP-256");
    assertThat(unpaddedUrl(jwk.get("n"))).hasSize(256);
    assertThat(jwk.get("e").asText()).isEqualTo("AQAB");
  }

  @Test
  void publicJwkWhenCoordinateHasLeadingZeroByteThenItIsKeptToFixedLength() throws Exception {
    ECNamedCurveParameterSpec bc = ECNamedCurveTable.getParameterSpec("P-256");
    ECParameterSpec params = ((ECPublicKey) TeeKeyPair.generate(TeeKeyAlgorithm.EC_P256, RANDOM,
        Vectors.BC).publicKey()).getParams();
    BigInteger d = BigInteger.ONE;
    ECPoint q;
    while (true) { // about 1 in 256 scalars gives an x below 2^248
      q = bc.getG().multiply(d).normalize();
      if (q.getAffineXCoord().toBigInteger().bitLength() <= 248) {
        break;
      }
      d = d.add(BigInteger.ONE);
    }
    KeyFactory f = KeyFactory.getInstance("EC");
    KeyPair kp = new KeyPair(
        f.generatePublic(new ECPublicKeySpec(new java.security.spec.ECPoint(
            q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), params)),
        f.generatePrivate(new ECPrivateKeySpec(d, params)));
    ObjectNode jwk = TeeKeyPair.of(TeeKeyAlgorithm.EC_P256, kp, Vectors.BC).publicJwk();
    byte[] x = unpaddedUrl(jwk.get("x"));
    assertThat(x).hasSize(32);
    assertThat(x[0]).isZero();
    assertThat(TeePublicKey.fromJwk(jwk).toPublicKey()).isEqualTo(kp.getPublic());
  }

  @Test
  void publicJwkWhenVectorKeyThenEqualsTheVectorJwk() throws Exception {
    JsonNode expected = Vectors.kbs().get("tee_keypair").get("public_jwk");
    ObjectNode jwk = Vectors.teeKeyPair().publicJwk();
    assertThat(jwk).isEqualTo(expected);
    assertThat(names(jwk)).containsExactlyElementsOf(names(expected));
  }

  @Test
  void decryptWhenEcdhEsVectorThenPlaintextIsShhhhhhh() throws Exception {
    JweResponse jwe = JweResponse.read(Vectors.kbs().get("jwe_ecdh_es_a256kw_p256")
        .get("response").toString().getBytes(StandardCharsets.UTF_8));
    assertThat(Vectors.teeKeyPair().decrypt(jwe).toByteArray())
        .isEqualTo("shhhhhhh".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void decryptWhenRsaOaepVectorThenPlaintextIsShhhhhhh() throws Exception {
    JweResponse jwe = JweResponse.read(Vectors.kbs().get("jwe_rsa_oaep_256")
        .get("response").toString().getBytes(StandardCharsets.UTF_8));
    assertThat(Vectors.rsaKeyPair().decrypt(jwe).toByteArray())
        .isEqualTo("shhhhhhh".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void decryptWhenEncryptedToP521KeyThenRoundTrips() throws Exception {
    TeeKeyPair k = TeeKeyPair.generate(TeeKeyAlgorithm.EC_P521, RANDOM, Vectors.BC);
    JweResponse jwe = Jwe.encrypt(new byte[] {7, 7, 7}, k.teePublicKey(), RANDOM, Vectors.BC);
    assertThat(k.decrypt(jwe)).isEqualTo(Bytes.copyOf(new byte[] {7, 7, 7}));
  }

  @Test
  void decryptWhenEncryptedToAnotherKeyThenDecryptionFails() throws Exception {
    TeeKeyPair mine = TeeKeyPair.generate(TeeKeyAlgorithm.EC_P256, RANDOM, Vectors.BC);
    TeeKeyPair other = TeeKeyPair.generate(TeeKeyAlgorithm.EC_P256, RANDOM, Vectors.BC);
    JweResponse jwe = Jwe.encrypt(new byte[] {1}, other.teePublicKey(), RANDOM, Vectors.BC);
    assertThatThrownBy(() -> mine.decrypt(jwe)).isInstanceOf(KbsProtocolException.class)
        .extracting(e -> ((KbsProtocolException) e).reason())
        .isEqualTo(KbsProtocolException.Reason.DECRYPTION_FAILED);
  }

  @Test
  void ofWhenCurveDoesNotMatchAlgorithmThenRejected() throws Exception {
    TeeKeyPair p521 = TeeKeyPair.generate(TeeKeyAlgorithm.EC_P521, RANDOM, Vectors.BC);
    KeyPair kp = new KeyPair(p521.publicKey(), Vectors.privateKey(
        Vectors.kbs().get("tee_keypair").get("private_key_pkcs8_pem").asText(), "EC"));
    assertThatThrownBy(() -> TeeKeyPair.of(TeeKeyAlgorithm.EC_P256, kp, Vectors.BC))
        .isInstanceOf(InvalidKeyException.class);
  }

  @Test
  void toStringWhenCalledThenNamesNoKeyMaterial() throws Exception {
    TeeKeyPair k = Vectors.teeKeyPair();
    assertThat(k.toString()).contains("EC_P256").contains("redacted")
        .doesNotContain(k.publicJwk().get("x").asText());
  }

  @Test
  void publicApiWhenInspectedThenNothingReturnsThePrivateKey() {
    List<Method> leaks = new ArrayList<>();
    for (Method m : TeeKeyPair.class.getDeclaredMethods()) {
      if (!Modifier.isPrivate(m.getModifiers())
          && (PrivateKey.class.isAssignableFrom(m.getReturnType())
              || KeyPair.class.isAssignableFrom(m.getReturnType())
              || (Key.class.isAssignableFrom(m.getReturnType())
                  && !java.security.PublicKey.class.isAssignableFrom(m.getReturnType())))) {
        leaks.add(m);
      }
    }
    assertThat(leaks).isEmpty();
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static byte[] unpaddedUrl(JsonNode n) {
    assertThat(n.asText()).doesNotContain("=").doesNotContain("+").doesNotContain("/");
    return Base64.getUrlDecoder().decode(n.asText());
  }
}
