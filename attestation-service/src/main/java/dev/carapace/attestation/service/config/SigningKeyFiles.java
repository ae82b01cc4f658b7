package dev.carapace.attestation.service.config;

import dev.carapace.attestation.service.token.SigningKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.jspecify.annotations.Nullable;

/** Reads a configured P-256 signing key (PKCS#8 or SEC1 PEM) and its certificate chain. */
final class SigningKeyFiles {
  private SigningKeyFiles() {}

  static SigningKeys.ConfiguredKey read(Path keyFile, @Nullable Path chainFile) {
    try {
      PrivateKey key;
      try (Reader r = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
          PEMParser pem = new PEMParser(r)) {
        Object o = pem.readObject();
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        if (o instanceof PrivateKeyInfo info) {
          key = conv.getPrivateKey(info);
        } else if (o instanceof PEMKeyPair pair) {
          key = conv.getPrivateKey(pair.getPrivateKeyInfo());
        } else {
          throw new IllegalStateException(keyFile + " holds no PEM private key");
        }
      }
      if (!(key instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField()
          .getFieldSize() != 256) {
        throw new IllegalStateException(keyFile + " is not a P-256 key (ES256 needs one)");
      }
      ECPrivateKey jdkKey = (ECPrivateKey) KeyFactory.getInstance("EC")
          .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(ec.getEncoded()));
      ECPublicKey pub = publicKey(jdkKey);
      List<X509Certificate> chain = new ArrayList<>();
      if (chainFile != null) {
        try (InputStream in = Files.newInputStream(chainFile)) {
          for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            chain.add((X509Certificate) c);
          }
        }
      }
      return new SigningKeys.ConfiguredKey(jdkKey, pub, chain);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the signing key " + keyFile + ": "
          + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("unusable signing key " + keyFile + ": " + e.getMessage(), e);
    }
  }

  /** The public key d·G of a P-256 private key. */
  private static ECPublicKey publicKey(ECPrivateKey key) throws GeneralSecurityException {
    ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec("secp256r1");
    org.bouncycastle.math.ec.ECPoint q = spec.getG().multiply(key.getS()).normalize();
    ECPoint w = new ECPoint(new BigInteger(1, q.getAffineXCoord().getEncoded()),
        new BigInteger(1, q.getAffineYCoord().getEncoded()));
    return (ECPublicKey) KeyFactory.getInstance("EC")
        .generatePublic(new ECPublicKeySpec(w, key.getParams()));
  }
}
