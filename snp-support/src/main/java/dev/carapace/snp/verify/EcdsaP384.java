package dev.carapace.snp.verify;

import dev.carapace.attestation.model.Bytes;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Provider;
import java.security.Signature;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;

/** ECDSA P-384 / SHA-384 report signatures: r and s as 72-byte little-endian fields. */
final class EcdsaP384 {
  private EcdsaP384() {}

  /** Unsigned big-endian integer of a little-endian field. */
  static BigInteger littleEndian(Bytes field) {
    byte[] b = field.toByteArray();
    for (int i = 0, j = b.length - 1; i < j; i++, j--) {
      byte t = b[i];
      b[i] = b[j];
      b[j] = t;
    }
    return new BigInteger(1, b);
  }

  /** True when (r, s) is a valid signature of {@code data} under {@code key}. */
  static boolean verify(PublicKey key, byte[] data, Bytes r, Bytes s, Provider provider) {
    try {
      byte[] der = new DERSequence(new ASN1Encodable[] {
          new ASN1Integer(littleEndian(r)), new ASN1Integer(littleEndian(s))}).getEncoded();
      Signature sig = Signature.getInstance("SHA384withECDSA", provider);
      sig.initVerify(key);
      sig.update(data);
      return sig.verify(der);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      return false;
    }
  }
}
