package dev.carapace.tdx.verify;

import dev.carapace.attestation.model.Bytes;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECNamedCurveSpec;

/** ECDSA P-256 / SHA-256 over raw r‖s signatures, with the JCA provider passed in. */
final class EcdsaP256 {
  private static final ECNamedCurveParameterSpec P256 = ECNamedCurveTable.getParameterSpec("P-256");
  private static final ECNamedCurveSpec P256_SPEC = new ECNamedCurveSpec(
      "P-256", P256.getCurve(), P256.getG(), P256.getN(), P256.getH());

  private final Provider provider;

  EcdsaP256(Provider provider) {
    this.provider = provider;
  }

  /** Public key from 64 bytes X‖Y; rejects points that are not on the curve. */
  PublicKey publicKey(Bytes xy) throws GeneralSecurityException {
    if (xy.size() != 64) {
      throw new GeneralSecurityException("P-256 key must be 64 bytes");
    }
    byte[] raw = xy.toByteArray();
    BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(raw, 0, 32));
    BigInteger y = new BigInteger(1, java.util.Arrays.copyOfRange(raw, 32, 64));
    if (!P256.getCurve().createPoint(x, y).isValid()) {
      throw new GeneralSecurityException("point is not on P-256");
    }
    return KeyFactory.getInstance("EC", provider)
        .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256_SPEC));
  }

  /** True when {@code signature} (r‖s, 64 bytes) is valid for {@code data} under {@code key}. */
  boolean verify(PublicKey key, byte[] data, Bytes signature) {
    if (signature.size() != 64) {
      return false;
    }
    try {
      Signature s = Signature.getInstance("SHA256withPLAIN-ECDSA", provider);
      s.initVerify(key);
      s.update(data);
      return s.verify(signature.toByteArray());
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
