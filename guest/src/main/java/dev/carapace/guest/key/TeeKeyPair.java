package dev.carapace.guest.key;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.kbs.protocol.Jwe;
import dev.carapace.kbs.protocol.JweResponse;
import dev.carapace.kbs.protocol.KbsProtocolException;
import dev.carapace.kbs.protocol.TeePublicKey;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Objects;

/**
 * The guest's ephemeral TEE key pair: the KBS encrypts released resources to its public key, which
 * the guest binds into its evidence through the runtime data ({@code tee-pubkey}).
 *
 * <p>Security guarantees: the private key never leaves this object. There is no getter for it,
 * {@link #toString()} names only the algorithm, and the only operation using it is
 * {@link #decrypt}, which opens a KBS JWE response addressed to this key. Equality is identity.
 *
 * <p>Thread-safe: immutable; {@link #decrypt} creates its JCA objects per call from the provider
 * given at construction.
 */
public final class TeeKeyPair {
  private static final BigInteger F4 = RSAKeyGenParameterSpec.F4;

  private final TeeKeyAlgorithm algorithm;
  private final PublicKey publicKey;
  private final PrivateKey privateKey;
  private final Provider provider;
  private final TeePublicKey teePublicKey;

  private TeeKeyPair(TeeKeyAlgorithm algorithm, PublicKey publicKey, PrivateKey privateKey,
      Provider provider) throws InvalidKeyException {
    this.algorithm = algorithm;
    this.publicKey = publicKey;
    this.privateKey = privateKey;
    this.provider = provider;
    try {
      this.teePublicKey = TeePublicKey.of(publicKey);
    } catch (KbsProtocolException e) {
      throw new InvalidKeyException("not a KBS TEE key: " + e.getMessage(), e);
    }
  }

  /** A fresh key pair of {@code algorithm} (RSA with public exponent 65537). */
  public static TeeKeyPair generate(TeeKeyAlgorithm algorithm, SecureRandom random,
      Provider provider) throws GeneralSecurityException {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(provider, "provider");
    KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm.kty(), provider);
    if (algorithm.isEc()) {
      g.initialize(new ECGenParameterSpec(algorithm.jcaCurve()), random);
    } else {
      g.initialize(new RSAKeyGenParameterSpec(algorithm.rsaBits(), F4), random);
    }
    KeyPair kp = g.generateKeyPair();
    return of(algorithm, kp, provider);
  }

  /**
   * Wraps an existing key pair, for a guest that restores its key or a test with a fixed key.
   *
   * @throws InvalidKeyException if the keys are not of {@code algorithm} (curve, modulus size) or
   *     the private key is not the public key's
   */
  public static TeeKeyPair of(TeeKeyAlgorithm algorithm, KeyPair keyPair, Provider provider)
      throws InvalidKeyException {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(keyPair, "keyPair");
    Objects.requireNonNull(provider, "provider");
    PublicKey pub = keyPair.getPublic();
    PrivateKey priv = keyPair.getPrivate();
    if (algorithm.isEc()) {
      if (!(pub instanceof ECPublicKey ep) || !(priv instanceof ECPrivateKey es)) {
        throw new InvalidKeyException(algorithm + " needs an EC key pair");
      }
      int bits = ep.getParams().getCurve().getField().getFieldSize();
      if ((bits + 7) / 8 != algorithm.fieldSize()
          || !ep.getParams().getOrder().equals(es.getParams().getOrder())) {
        throw new InvalidKeyException(algorithm + " needs a " + algorithm.crv() + " key pair, got a "
            + bits + "-bit curve");
      }
    } else {
      if (!(pub instanceof RSAPublicKey rp) || !(priv instanceof RSAPrivateKey rs)) {
        throw new InvalidKeyException(algorithm + " needs an RSA key pair");
      }
      if (rp.getModulus().bitLength() != algorithm.rsaBits()
          || !rp.getModulus().equals(rs.getModulus())) {
        throw new InvalidKeyException(algorithm + " needs a " + algorithm.rsaBits()
            + "-bit RSA key pair, got " + rp.getModulus().bitLength() + " bits");
      }
    }
    return new TeeKeyPair(algorithm, pub, priv, provider);
  }

  public TeeKeyAlgorithm algorithm() {
    return algorithm;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The public key as the KBS protocol carries it ({@code tee-pubkey}). */
  public TeePublicKey teePublicKey() {
    return teePublicKey;
  }

  /**
   * The public key as the KBS {@code tee-pubkey} JWK, members in this order and no others:
   * {@code kty, crv, alg, x, y} (EC; coordinates big-endian, left-padded to the field size) or
   * {@code kty, alg, n, e} (RSA); every value base64url without padding. A new node per call.
   */
  public ObjectNode publicJwk() {
    return teePublicKey.toJwk();
  }

  /**
   * Opens a KBS resource response (flattened JWE, A256GCM) encrypted to this key.
   *
   * @throws KbsProtocolException if the response is not for this key type, is malformed, or does
   *     not authenticate
   */
  public Bytes decrypt(JweResponse response) throws KbsProtocolException {
    return Jwe.decrypt(response, privateKey, provider);
  }

  @Override
  public String toString() {
    return "TeeKeyPair[" + algorithm + ", private key redacted]";
  }
}
