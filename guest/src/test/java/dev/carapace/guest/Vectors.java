package dev.carapace.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carapace.guest.key.TeeKeyAlgorithm;
import dev.carapace.guest.key.TeeKeyPair;
import dev.carapace.kbs.protocol.TeePublicKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

/** Test vectors under src/test/resources/vectors (see PROVENANCE.md there) and shared fixtures. */
public final class Vectors {
  /** One provider instance for all tests; never registered globally. */
  public static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private Vectors() {}

  public static JsonNode kbs() {
    return json("/vectors/trustee/kbs-protocol-test-vectors.json");
  }

  public static JsonNode json(String resource) {
    try (InputStream in = Vectors.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new AssertionError("missing test resource " + resource);
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The P-256 TEE key pair of {@code tee_keypair}. */
  public static TeeKeyPair teeKeyPair() throws Exception {
    JsonNode k = kbs().get("tee_keypair");
    PrivateKey priv = privateKey(k.get("private_key_pkcs8_pem").asText(), "EC");
    PublicKey pub = TeePublicKey.fromJwk(k.get("public_jwk")).toPublicKey();
    return TeeKeyPair.of(TeeKeyAlgorithm.EC_P256, new KeyPair(pub, priv), BC);
  }

  /** The RSA-2048 recipient of {@code jwe_rsa_oaep_256}. */
  public static TeeKeyPair rsaKeyPair() throws Exception {
    JsonNode v = kbs().get("jwe_rsa_oaep_256");
    RSAPrivateCrtKey priv = (RSAPrivateCrtKey) privateKey(
        v.get("recipient_private_key_pem_pkcs1").asText(), "RSA");
    PublicKey pub = KeyFactory.getInstance("RSA")
        .generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
    return TeeKeyPair.of(TeeKeyAlgorithm.RSA_2048, new KeyPair(pub, priv), BC);
  }

  /** A PKCS#8 or PKCS#1 PEM private key. */
  public static PrivateKey privateKey(String pem, String algorithm) throws Exception {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      PrivateKeyInfo info = o instanceof PEMKeyPair kp ? kp.getPrivateKeyInfo()
          : (PrivateKeyInfo) o;
      return KeyFactory.getInstance(algorithm)
          .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    }
  }
}
