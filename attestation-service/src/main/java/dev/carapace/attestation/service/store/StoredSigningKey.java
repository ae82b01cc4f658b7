package dev.carapace.attestation.service.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A token-signing key with its life cycle: the public key always, the private key only while the
 * key may sign (a generated current key). Holds secret material: not a record, no {@code
 * equals}, and {@link #toString()} never shows the private key.
 */
public final class StoredSigningKey {
  private final String kid;
  private final byte[] publicKey;
  private final byte @Nullable [] privateKey;
  private final Instant created;
  private final @Nullable Instant retired;

  /**
   * @param kid the JWK thumbprint (RFC 7638) of the public key
   * @param publicKey X.509 SubjectPublicKeyInfo DER (copied)
   * @param privateKey PKCS#8 DER (copied), or null when not kept (retired or configured keys)
   * @param created when the key became the signing key
   * @param retired when it stopped signing, or null while it is the current key
   */
  public StoredSigningKey(String kid, byte[] publicKey, byte @Nullable [] privateKey,
      Instant created, @Nullable Instant retired) {
    this.kid = Objects.requireNonNull(kid, "kid");
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey").clone();
    this.privateKey = privateKey == null ? null : privateKey.clone();
    this.created = Objects.requireNonNull(created, "created");
    this.retired = retired;
  }

  public String kid() {
    return kid;
  }

  /** A copy of the SubjectPublicKeyInfo DER. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** A copy of the PKCS#8 DER, when kept. */
  public Optional<byte[]> privateKey() {
    return Optional.ofNullable(privateKey).map(byte[]::clone);
  }

  public Instant created() {
    return created;
  }

  public Optional<Instant> retired() {
    return Optional.ofNullable(retired);
  }

  /** This key retired at {@code when}, without its private key. */
  public StoredSigningKey retiredAt(Instant when) {
    return new StoredSigningKey(kid, publicKey, null, created, when);
  }

  /** Overwrites the copy of the private key held here. */
  public void destroy() {
    if (privateKey != null) {
      Arrays.fill(privateKey, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "StoredSigningKey[kid=" + kid + ", created=" + created + ", retired=" + retired
        + ", privateKey=" + (privateKey == null ? "none" : "<redacted>") + "]";
  }
}
