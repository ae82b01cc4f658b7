package dev.carapace.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.kbs.protocol.KbsProtocolException.Reason;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;

/**
 * An RSA TEE key ({@code RSA-OAEP-256}); modulus and exponent big-endian without leading zeros.
 * Moduli from 2048 to 8192 bits. {@code RSA1_5} keys are refused (padding-oracle prone; Trustee
 * deprecates it). Immutable.
 */
public record RsaTeePublicKey(Bytes modulus, Bytes exponent) implements TeePublicKey {
  public static final String ALG = "RSA-OAEP-256";
  static final int MIN_BITS = 2048;
  static final int MAX_BITS = 8192;

  @Override
  public String alg() {
    return ALG;
  }

  @Override
  public ObjectNode toJwk() {
    ObjectNode n = KbsJson.object();
    n.put("kty", "RSA");
    n.put("alg", ALG);
    n.put("n", KbsJson.base64Url(modulus));
    n.put("e", KbsJson.base64Url(exponent));
    return n;
  }

  @Override
  public RSAPublicKey toPublicKey() throws KbsProtocolException {
    BigInteger n = new BigInteger(1, modulus.toByteArray());
    BigInteger e = new BigInteger(1, exponent.toByteArray());
    if (n.bitLength() < MIN_BITS || n.bitLength() > MAX_BITS) {
      throw new KbsProtocolException(Reason.UNSUPPORTED_KEY,
          "RSA tee-pubkey moduli must have " + MIN_BITS + " to " + MAX_BITS + " bits");
    }
    if (!e.testBit(0) || e.compareTo(BigInteger.valueOf(3)) < 0 || e.compareTo(n) >= 0) {
      throw new KbsProtocolException(Reason.MALFORMED_KEY, "RSA tee-pubkey exponent is invalid");
    }
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(n, e));
    } catch (GeneralSecurityException ex) {
      throw new KbsProtocolException(Reason.MALFORMED_KEY, "the tee-pubkey is not a valid key",
          ex);
    }
  }

  /** The TEE key for a JCA RSA public key. */
  public static RsaTeePublicKey of(RSAPublicKey key) throws KbsProtocolException {
    RsaTeePublicKey k = new RsaTeePublicKey(unsigned(key.getModulus()),
        unsigned(key.getPublicExponent()));
    k.toPublicKey();
    return k;
  }

  static RsaTeePublicKey fromJwk(JsonNode jwk) throws KbsProtocolException {
    String alg = KbsJson.text(jwk, "alg", Reason.MALFORMED_KEY);
    if (!ALG.equals(alg)) {
      throw new KbsProtocolException(Reason.UNSUPPORTED_KEY,
          "RSA tee-pubkey alg must be " + ALG + ", not \"" + alg + "\"");
    }
    RsaTeePublicKey k = new RsaTeePublicKey(
        KbsJson.base64UrlMember(jwk, "n", Reason.MALFORMED_KEY),
        KbsJson.base64UrlMember(jwk, "e", Reason.MALFORMED_KEY));
    k.toPublicKey();
    return k;
  }

  private static Bytes unsigned(BigInteger v) {
    byte[] raw = v.toByteArray();
    int skip = raw.length > 1 && raw[0] == 0 ? 1 : 0;
    return Bytes.copyOf(java.util.Arrays.copyOfRange(raw, skip, raw.length));
  }
}
