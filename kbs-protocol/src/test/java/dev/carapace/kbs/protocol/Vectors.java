package dev.carapace.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

/** The generated KBS protocol vectors (see src/test/resources/vectors/PROVENANCE.md). */
final class Vectors {
  private Vectors() {}

  static JsonNode kbs() {
    try (InputStream in = Vectors.class.getResourceAsStream(
        "/vectors/kbs-protocol-test-vectors.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** A PKCS#8 or PKCS#1 PEM private key. */
  static PrivateKey privateKey(String pem, String algorithm) throws Exception {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      PrivateKeyInfo info = o instanceof PEMKeyPair kp ? kp.getPrivateKeyInfo()
          : (PrivateKeyInfo) o;
      return KeyFactory.getInstance(algorithm)
          .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    }
  }
}
