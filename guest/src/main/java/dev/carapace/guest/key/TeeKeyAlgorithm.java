package dev.carapace.guest.key;

import org.jspecify.annotations.Nullable;

/**
 * The TEE key types a KBS protocol 0.4.0 broker (Trustee's or ours) can encrypt to, with the JWE
 * key-management algorithm the guest announces in its {@code tee-pubkey}. Content encryption is
 * always A256GCM.
 */
public enum TeeKeyAlgorithm {
  /** EC P-256 with ECDH-ES+A256KW: CoCo's default guest key. */
  EC_P256("EC", "P-256", "secp256r1", "ECDH-ES+A256KW", 32),
  /** EC P-521 with ECDH-ES+A256KW (66-byte coordinates). */
  EC_P521("EC", "P-521", "secp521r1", "ECDH-ES+A256KW", 66),
  /** RSA-2048 with RSA-OAEP-256 (SHA-256, MGF1-SHA-256), as CoCo's RSA guest keys. */
  RSA_2048("RSA", null, null, "RSA-OAEP-256", 256);

  private final String kty;
  private final @Nullable String crv;
  private final @Nullable String jcaCurve;
  private final String alg;
  private final int fieldSize;

  TeeKeyAlgorithm(String kty, @Nullable String crv, @Nullable String jcaCurve, String alg, int fieldSize) {
    this.kty = kty;
    this.crv = crv;
    this.jcaCurve = jcaCurve;
    this.alg = alg;
    this.fieldSize = fieldSize;
  }

  /** JWK {@code kty}: {@code EC} or {@code RSA}. */
  public String kty() {
    return kty;
  }

  /** JWK {@code crv} of an EC key ({@code P-256}, {@code P-521}); throws for RSA. */
  public String crv() {
    if (crv == null) {
      throw new UnsupportedOperationException(name() + " has no curve");
    }
    return crv;
  }

  /** JWE key-management algorithm announced as the JWK {@code alg}. */
  public String alg() {
    return alg;
  }

  /** Bytes of each EC coordinate, or of the RSA modulus. */
  public int fieldSize() {
    return fieldSize;
  }

  public boolean isEc() {
    return crv != null;
  }

  String jcaCurve() {
    if (jcaCurve == null) {
      throw new UnsupportedOperationException(name() + " has no curve");
    }
    return jcaCurve;
  }

  int rsaBits() {
    return fieldSize * 8;
  }
}
