package dev.carapace.attestation.service.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.util.Base64;
import dev.carapace.attestation.service.store.SigningKeyStore;
import dev.carapace.attestation.service.store.StoredSigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The token-signing keys: one current ES256 (P-256) key that signs, and retired keys that stay in
 * the JWKS until every token they signed has expired ({@code retired + tokenLifetime}).
 *
 * <p>The current key is either configured ({@link ConfiguredKey}: a PKCS#8 PEM file, optionally
 * with its certificate chain, published as {@code x5c}) or generated on first start and kept in
 * the {@link SigningKeyStore}; a generated key is replaced once it is older than the rotation
 * period, checked whenever a token is signed. Replacing the configured file by another key is a
 * rotation too. Private keys of retired keys are discarded.
 *
 * <p>Signatures are made with the injected JCA provider (BouncyCastle: about 1.6 times the ES256
 * signing rate of JDK 17's SunEC) and {@link SecureRandom}. Thread-safe: the state is an
 * immutable snapshot swapped under a lock.
 */
public final class SigningKeys {
  /** A configured key: its private key and optional certificate chain, leaf first. */
  public record ConfiguredKey(ECPrivateKey privateKey, ECPublicKey publicKey,
      List<X509Certificate> chain) {
    public ConfiguredKey {
      Objects.requireNonNull(privateKey, "privateKey");
      Objects.requireNonNull(publicKey, "publicKey");
      chain = List.copyOf(chain);
      if (!chain.isEmpty() && !chain.get(0).getPublicKey().equals(publicKey)) {
        throw new IllegalArgumentException(
            "the first certificate of the signing chain is not for the signing key");
      }
    }

    @Override
    public String toString() {
      return "ConfiguredKey[privateKey=<redacted>, chain=" + chain.size() + " certificates]";
    }
  }

  /** What signs now: the signer, the public JWK for headers, and its kid. */
  public record Signer(ECDSASigner signer, ECKey publicJwk, String kid) {
    @Override
    public String toString() {
      return "Signer[kid=" + kid + "]";
    }
  }

  private record State(Signer current, StoredSigningKey currentStored, List<ECKey> retired,
      List<StoredSigningKey> retiredStored, Instant rotateAt, Instant nextRetiredExpiry,
      String jwksJson) {}

  private final SigningKeyStore store;
  private final @Nullable ConfiguredKey configured;
  private final Duration tokenLifetime;
  private final Duration rotation;
  private final Clock clock;
  private final SecureRandom random;
  private final Provider provider;
  private volatile State state;

  /**
   * Loads the keys from {@code store}, drops retired keys whose tokens have all expired, installs
   * the configured key (retiring a different previous key) or generates a key if there is none.
   */
  public SigningKeys(SigningKeyStore store, @Nullable ConfiguredKey configured,
      Duration tokenLifetime, Duration rotation, Clock clock, SecureRandom random,
      Provider provider) {
    this.store = Objects.requireNonNull(store, "store");
    this.configured = configured;
    this.tokenLifetime = Objects.requireNonNull(tokenLifetime, "tokenLifetime");
    this.rotation = Objects.requireNonNull(rotation, "rotation");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.provider = Objects.requireNonNull(provider, "provider");
    try {
      this.state = initialState(store.load());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the signing keys", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the stored signing keys are unusable: " + e.getMessage(), e);
    }
  }

  /** The key that signs now, rotating first if the current generated key is due. */
  public Signer current() {
    State s = state;
    Instant now = clock.instant();
    if (now.isBefore(s.rotateAt()) && now.isBefore(s.nextRetiredExpiry())) {
      return s.current();
    }
    return refresh(now).current();
  }

  /** The public JWK set (current and unexpired retired keys) as JSON. */
  public String jwksJson() {
    State s = state;
    Instant now = clock.instant();
    if (now.isBefore(s.nextRetiredExpiry()) && now.isBefore(s.rotateAt())) {
      return s.jwksJson();
    }
    return refresh(now).jwksJson();
  }

  /** Replaces the current key by a freshly generated one now (the old one is retired). */
  public synchronized void rotate() {
    try {
      Instant now = clock.instant();
      State s = state;
      List<StoredSigningKey> retired = new ArrayList<>(s.retiredStored());
      retired.add(0, s.currentStored().retiredAt(now));
      s.currentStored().destroy();
      state = build(generate(now), prune(retired, now), now);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the rotated signing key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a signing key", e);
    }
  }

  private synchronized State refresh(Instant now) {
    State s = state;
    try {
      if (!now.isBefore(s.rotateAt())) {
        rotate();
        return state;
      }
      if (!now.isBefore(s.nextRetiredExpiry())) {
        state = build(s.currentStored(), prune(s.retiredStored(), now), now);
      }
      return state;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the signing keys", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the signing keys are unusable", e);
    }
  }

  private State initialState(List<StoredSigningKey> stored)
      throws IOException, GeneralSecurityException {
    Instant now = clock.instant();
    StoredSigningKey current = null;
    List<StoredSigningKey> retired = new ArrayList<>();
    for (StoredSigningKey k : stored) {
      if (k.retired().isEmpty() && current == null) {
        current = k;
      } else {
        retired.add(k.retired().isPresent() ? k : k.retiredAt(now));
      }
    }
    if (configured != null) {
      StoredSigningKey wanted = configuredStored(now);
      if (current != null && !current.kid().equals(wanted.kid())) {
        retired.add(0, current.retiredAt(now));
        current.destroy();
        current = wanted;
      } else if (current == null) {
        current = wanted;
      } else {
        current = new StoredSigningKey(current.kid(), current.publicKey(), null, current.created(),
            null);
      }
    } else if (current == null || current.privateKey().isEmpty()) {
      if (current != null) {
        retired.add(0, current.retiredAt(now)); // was configured; the file is no longer
      }
      current = generate(now);
    }
    return build(current, prune(retired, now), now);
  }

  private State build(StoredSigningKey current, List<StoredSigningKey> retired, Instant now)
      throws IOException, GeneralSecurityException {
    List<StoredSigningKey> all = new ArrayList<>();
    all.add(current);
    all.addAll(retired);
    store.save(all);

    ECPrivateKey privateKey;
    List<X509Certificate> chain = List.of();
    if (configured != null && current.privateKey().isEmpty()) {
      privateKey = configured.privateKey();
      chain = configured.chain();
    } else {
      byte[] der = current.privateKey().orElseThrow(
          () -> new IllegalStateException("the current signing key has no private key"));
      try {
        privateKey = (ECPrivateKey) KeyFactory.getInstance("EC")
            .generatePrivate(new PKCS8EncodedKeySpec(der));
      } finally {
        Arrays.fill(der, (byte) 0);
      }
    }
    ECKey publicJwk = jwk(publicKey(current), current.kid(), chain);
    Signer signer;
    try {
      // A key of the provider's own type: BouncyCastle then keeps its precomputed tables for
      // the curve instead of converting a foreign key on every signature (4x faster).
      ECDSASigner jws = new ECDSASigner(
          (ECPrivateKey) KeyFactory.getInstance("EC", provider).translateKey(privateKey));
      jws.getJCAContext().setProvider(provider);
      jws.getJCAContext().setSecureRandom(random);
      signer = new Signer(jws, publicJwk, current.kid());
    } catch (JOSEException e) {
      throw new GeneralSecurityException("not a P-256 signing key", e);
    }
    List<ECKey> retiredJwks = new ArrayList<>();
    Instant nextExpiry = Instant.MAX;
    for (StoredSigningKey k : retired) {
      retiredJwks.add(jwk(publicKey(k), k.kid(), List.of()));
      Instant expiry = k.retired().orElseThrow().plus(tokenLifetime);
      nextExpiry = expiry.isBefore(nextExpiry) ? expiry : nextExpiry;
    }
    List<JWK> published = new ArrayList<>();
    published.add(publicJwk);
    published.addAll(retiredJwks);
    String json = toJson(new JWKSet(published).toJSONObject(true));
    Instant rotateAt = current.privateKey().isPresent()
        ? current.created().plus(rotation) : Instant.MAX;
    return new State(signer, current, List.copyOf(retiredJwks), List.copyOf(retired), rotateAt,
        nextExpiry, json);
  }

  /** Retired keys whose last token may still be valid at {@code now}. */
  private List<StoredSigningKey> prune(List<StoredSigningKey> retired, Instant now) {
    List<StoredSigningKey> kept = new ArrayList<>();
    for (StoredSigningKey k : retired) {
      if (now.isBefore(k.retired().orElse(now).plus(tokenLifetime))) {
        kept.add(k);
      }
    }
    return kept;
  }

  private StoredSigningKey generate(Instant now) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), random);
    KeyPair pair = g.generateKeyPair();
    String kid = thumbprint((ECPublicKey) pair.getPublic());
    byte[] der = pair.getPrivate().getEncoded();
    try {
      return new StoredSigningKey(kid, pair.getPublic().getEncoded(), der, now, null);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  private StoredSigningKey configuredStored(Instant now) throws GeneralSecurityException {
    ConfiguredKey c = Objects.requireNonNull(configured);
    return new StoredSigningKey(thumbprint(c.publicKey()), c.publicKey().getEncoded(), null, now,
        null);
  }

  private static ECPublicKey publicKey(StoredSigningKey k) throws GeneralSecurityException {
    return (ECPublicKey) KeyFactory.getInstance("EC")
        .generatePublic(new X509EncodedKeySpec(k.publicKey()));
  }

  static String thumbprint(ECPublicKey key) throws GeneralSecurityException {
    try {
      return new ECKey.Builder(Curve.P_256, key).build().computeThumbprint().toString();
    } catch (JOSEException | IllegalArgumentException e) {
      throw new GeneralSecurityException("not a P-256 key", e);
    }
  }

  private static ECKey jwk(ECPublicKey key, String kid, List<X509Certificate> chain)
      throws GeneralSecurityException {
    ECKey.Builder b = new ECKey.Builder(Curve.P_256, key)
        .algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE).keyID(kid);
    if (!chain.isEmpty()) {
      List<Base64> x5c = new ArrayList<>();
      for (X509Certificate c : chain) {
        try {
          x5c.add(Base64.encode(c.getEncoded()));
        } catch (CertificateEncodingException e) {
          throw new GeneralSecurityException("signing certificate cannot be encoded", e);
        }
      }
      b.x509CertChain(x5c);
    }
    return b.build();
  }

  private static String toJson(Map<String, Object> map) {
    return com.nimbusds.jose.util.JSONObjectUtils.toJSONString(map);
  }
}
