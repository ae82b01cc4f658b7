package dev.carapace.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.kbs.protocol.KbsProtocolException.Reason;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Objects;

/**
 * An EC TEE key ({@code ECDH-ES+A256KW}) on P-256 or P-521, with fixed-length big-endian
 * coordinates (32 or 66 bytes) as Trustee requires. Immutable.
 */
public record EcTeePublicKey(Curve curve, Bytes x, Bytes y) implements TeePublicKey {
  public static final String ALG = "ECDH-ES+A256KW";

  /** The curves the KBS protocol encrypts to. */
  public enum Curve {
    P256("P-256", "secp256r1", 32),
    P521("P-521", "secp521r1", 66);

    private final String jwkName;
    private final String jcaName;
    private final int coordinateSize;

    Curve(String jwkName, String jcaName, int coordinateSize) {
      this.jwkName = jwkName;
      this.jcaName = jcaName;
      this.coordinateSize = coordinateSize;
    }

    public String jwkName() {
      return jwkName;
    }

    public int coordinateSize() {
      return coordinateSize;
    }

    /** The JCA standard name ({@code secp256r1}, {@code secp521r1}). */
    public String jcaName() {
      return jcaName;
    }

    /** The JCA parameters of the curve. */
    public ECParameterSpec parameters() throws KbsProtocolException {
      try {
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec(jcaName));
        return p.getParameterSpec(ECParameterSpec.class);
      } catch (GeneralSecurityException e) {
        throw new KbsProtocolException(Reason.CRYPTO_UNAVAILABLE, jwkName + " is unavailable", e);
      }
    }

    static Curve fromJwkName(String name) throws KbsProtocolException {
      for (Curve c : values()) {
        if (c.jwkName.equals(name)) {
          return c;
        }
      }
      throw new KbsProtocolException(Reason.UNSUPPORTED_KEY,
          "EC tee-pubkey curve \"" + name + "\" is not supported (P-256 or P-521)");
    }

    static Curve forFieldSize(int bits) throws KbsProtocolException {
      for (Curve c : values()) {
        if ((bits + 7) / 8 == c.coordinateSize) {
          return c;
        }
      }
      throw new KbsProtocolException(Reason.UNSUPPORTED_KEY,
          "EC TEE keys must be on P-256 or P-521");
    }
  }

  public EcTeePublicKey {
    Objects.requireNonNull(curve, "curve");
    Bytes.requireSize(x, curve.coordinateSize(), "x");
    Bytes.requireSize(y, curve.coordinateSize(), "y");
  }

  @Override
  public String alg() {
    return ALG;
  }

  @Override
  public ObjectNode toJwk() {
    ObjectNode n = KbsJson.object();
    n.put("kty", "EC");
    n.put("crv", curve.jwkName());
    n.put("alg", ALG);
    n.put("x", KbsJson.base64Url(x));
    n.put("y", KbsJson.base64Url(y));
    return n;
  }

  @Override
  public ECPublicKey toPublicKey() throws KbsProtocolException {
    ECParameterSpec params = curve.parameters();
    BigInteger px = new BigInteger(1, x.toByteArray());
    BigInteger py = new BigInteger(1, y.toByteArray());
    if (!onCurve(params, px, py)) {
      throw new KbsProtocolException(Reason.MALFORMED_KEY,
          "the tee-pubkey point is not on " + curve.jwkName());
    }
    try {
      return (ECPublicKey) KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(new ECPoint(px, py), params));
    } catch (GeneralSecurityException e) {
      throw new KbsProtocolException(Reason.MALFORMED_KEY, "the tee-pubkey is not a valid key", e);
    }
  }

  /** The TEE key for a JCA EC public key on P-256 or P-521. */
  public static EcTeePublicKey of(ECPublicKey key) throws KbsProtocolException {
    Curve c = Curve.forFieldSize(key.getParams().getCurve().getField().getFieldSize());
    return new EcTeePublicKey(c, fixed(key.getW().getAffineX(), c.coordinateSize()),
        fixed(key.getW().getAffineY(), c.coordinateSize()));
  }

  static EcTeePublicKey fromJwk(JsonNode jwk) throws KbsProtocolException {
    Curve c = Curve.fromJwkName(KbsJson.text(jwk, "crv", Reason.MALFORMED_KEY));
    String alg = KbsJson.text(jwk, "alg", Reason.MALFORMED_KEY);
    if (!ALG.equals(alg)) {
      throw new KbsProtocolException(Reason.UNSUPPORTED_KEY,
          "EC tee-pubkey alg must be " + ALG + ", not \"" + alg + "\"");
    }
    Bytes x = KbsJson.base64UrlMember(jwk, "x", Reason.MALFORMED_KEY);
    Bytes y = KbsJson.base64UrlMember(jwk, "y", Reason.MALFORMED_KEY);
    if (x.size() != c.coordinateSize() || y.size() != c.coordinateSize()) {
      throw new KbsProtocolException(Reason.MALFORMED_KEY, "EC tee-pubkey coordinates on "
          + c.jwkName() + " must be exactly " + c.coordinateSize() + " bytes");
    }
    EcTeePublicKey key = new EcTeePublicKey(c, x, y);
    key.toPublicKey();
    return key;
  }

  static Bytes fixed(BigInteger v, int size) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[size];
    int copy = Math.min(raw.length, size);
    System.arraycopy(raw, raw.length - copy, out, size - copy, copy);
    return Bytes.copyOf(out);
  }

  private static boolean onCurve(ECParameterSpec params, BigInteger x, BigInteger y) {
    BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
    if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      return false;
    }
    BigInteger lhs = y.multiply(y).mod(p);
    BigInteger rhs = x.pow(3).add(params.getCurve().getA().multiply(x))
        .add(params.getCurve().getB()).mod(p);
    return lhs.equals(rhs);
  }
}
