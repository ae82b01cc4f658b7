package dev.carapace.kbs.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import dev.carapace.kbs.protocol.KbsProtocolException.Reason;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JweTest {
  private static final JsonNode V = Vectors.kbs();
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SECRET = "shhhhhhh".getBytes(StandardCharsets.UTF_8);

  @Test
  void encryptWhenEcdhVectorInputsThenByteExactTrusteeResponse() throws Exception {
    JsonNode v = V.get("jwe_ecdh_es_a256kw_p256");
    PrivateKey recipient = Vectors.privateKey(v.get("recipient_private_key_pem").asText(), "EC");
    TeePublicKey key = TeePublicKey.fromJwk(V.at("/tee_keypair/public_jwk"));
    KeyPair epk = ephemeral(v.get("epk_private_scalar_hex").asText());

    JweResponse jwe = Jwe.encrypt(v.at("/plaintext_utf8").asText().getBytes(StandardCharsets.UTF_8),
        key, epk, HEX.parseHex(v.get("cek_hex").asText()), HEX.parseHex(v.get("iv_hex").asText()),
        new SecureRandom(), null);

    JsonNode want = v.get("response");
    assertThat(jwe.protectedHeader()).isEqualTo(want.get("protected").asText());
    assertThat(new String(Base64.getUrlDecoder().decode(jwe.protectedHeader()),
        StandardCharsets.UTF_8)).isEqualTo(v.get("protected_header_json").asText());
    assertThat(jwe.encryptedKey()).isEqualTo(want.get("encrypted_key").asText());
    assertThat(jwe.iv()).isEqualTo(want.get("iv").asText());
    assertThat(jwe.ciphertext()).isEqualTo(want.get("ciphertext").asText());
    assertThat(jwe.tag()).isEqualTo(want.get("tag").asText());
    assertThat(KbsJson.write(jwe.toJson())).isEqualTo(KbsJson.write(want));
    assertThat(Jwe.decrypt(jwe, recipient, null).toByteArray()).isEqualTo(SECRET);
  }

  @Test
  void decryptWhenVectorResponsesThenPlaintext() throws Exception {
    JsonNode ec = V.get("jwe_ecdh_es_a256kw_p256");
    JsonNode rsa = V.get("jwe_rsa_oaep_256");
    assertThat(Jwe.decrypt(JweResponse.read(ec.get("response").toString().getBytes(
            StandardCharsets.UTF_8)),
        Vectors.privateKey(ec.get("recipient_private_key_pem").asText(), "EC"), null)
        .toByteArray()).isEqualTo(SECRET);
    assertThat(Jwe.decrypt(JweResponse.read(rsa.get("response").toString().getBytes(
            StandardCharsets.UTF_8)),
        Vectors.privateKey(rsa.get("recipient_private_key_pem_pkcs1").asText(), "RSA"), null)
        .toByteArray()).isEqualTo(SECRET);
  }

  @ParameterizedTest
  @ValueSource(strings = {"secp256r1", "secp521r1"})
  void encryptWhenEcKeyThenNimbusDecryptsAndHeaderIsCanonical(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    KeyPair tee = g.generateKeyPair();
    TeePublicKey key = TeePublicKey.of(tee.getPublic());
    byte[] plaintext = new byte[1000];
    new SecureRandom().nextBytes(plaintext);

    JweResponse jwe = Jwe.encrypt(plaintext, key, new SecureRandom(), new BouncyCastleProvider());

    JWEObject nimbus = JWEObject.parse(jwe.toCompact());
    nimbus.decrypt(new ECDHDecrypter((ECPrivateKey) tee.getPrivate()));
    assertThat(nimbus.getPayload().toBytes()).isEqualTo(plaintext);
    String header = new String(Base64.getUrlDecoder().decode(jwe.protectedHeader()),
        StandardCharsets.UTF_8);
    assertThat(header).matches("\\{\"alg\":\"ECDH-ES\\+A256KW\",\"enc\":\"A256GCM\",\"epk\":"
        + "\\{\"crv\":\"P-(256|521)\",\"kty\":\"EC\",\"x\":\"[A-Za-z0-9_-]+\",\"y\":\"[A-Za-z0-9_-]+\"\\}\\}");
    assertThat(Jwe.guestHeaderSerialization(KbsJson.parse(header.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(header);
    assertThat(Jwe.decrypt(jwe, tee.getPrivate(), null).toByteArray()).isEqualTo(plaintext);
  }

  @Test
  void encryptWhenRsaKeyThenNimbusDecrypts() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair tee = g.generateKeyPair();

    JweResponse jwe = Jwe.encrypt(SECRET, TeePublicKey.of(tee.getPublic()), new SecureRandom(),
        null);

    JWEObject nimbus = JWEObject.parse(jwe.toCompact());
    nimbus.decrypt(new RSADecrypter(tee.getPrivate()));
    assertThat(nimbus.getPayload().toBytes()).isEqualTo(SECRET);
    assertThat(new String(Base64.getUrlDecoder().decode(jwe.protectedHeader()),
        StandardCharsets.UTF_8)).isEqualTo("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\"}");
  }

  @Test
  void decryptWhenCiphertextOrHeaderTamperedThenDecryptionFailed() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair tee = g.generateKeyPair();
    JweResponse jwe = Jwe.encrypt(SECRET, TeePublicKey.of(tee.getPublic()), new SecureRandom(),
        null);
    byte[] ct = Base64.getUrlDecoder().decode(jwe.ciphertext());
    ct[0] ^= 1;
    JweResponse flipped = new JweResponse(jwe.protectedHeader(), jwe.encryptedKey(), jwe.iv(),
        KbsJson.base64Url(ct), jwe.tag());
    assertThatThrownBy(() -> Jwe.decrypt(flipped, tee.getPrivate(), null))
        .isInstanceOfSatisfying(KbsProtocolException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DECRYPTION_FAILED));

    KeyPair other = g.generateKeyPair();
    assertThatThrownBy(() -> Jwe.decrypt(jwe, other.getPrivate(), null))
        .isInstanceOfSatisfying(KbsProtocolException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DECRYPTION_FAILED));

    JweResponse badTag = new JweResponse(jwe.protectedHeader(), jwe.encryptedKey(), jwe.iv(),
        jwe.ciphertext(), "AAAA");
    assertThatThrownBy(() -> Jwe.decrypt(badTag, tee.getPrivate(), null))
        .isInstanceOfSatisfying(KbsProtocolException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JWE));
  }

  @Test
  void readWhenAadPresentOrMemberMissingThenMalformedJwe() {
    assertThatThrownBy(() -> JweResponse.read(("{\"protected\":\"a\",\"encrypted_key\":\"b\","
        + "\"iv\":\"c\",\"ciphertext\":\"d\",\"tag\":\"e\",\"aad\":\"f\"}").getBytes()))
        .isInstanceOfSatisfying(KbsProtocolException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JWE));
    assertThatThrownBy(() -> JweResponse.read("{\"protected\":\"a\"}".getBytes()))
        .isInstanceOfSatisfying(KbsProtocolException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JWE));
  }

  private static KeyPair ephemeral(String scalarHex) throws Exception {
    // Derive the public point with BouncyCastle's curve arithmetic from the vector's scalar.
    BigInteger d = new BigInteger(scalarHex, 16);
    var spec = org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec("P-256");
    var q = spec.getG().multiply(d).normalize();
    var params = EcTeePublicKey.Curve.P256.parameters();
    KeyFactory kf = KeyFactory.getInstance("EC");
    return new KeyPair(
        kf.generatePublic(new ECPublicKeySpec(new java.security.spec.ECPoint(
            q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), params)),
        kf.generatePrivate(new ECPrivateKeySpec(d, params)));
  }
}
