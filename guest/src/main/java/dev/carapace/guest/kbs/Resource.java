package dev.carapace.guest.kbs;

import dev.carapace.attestation.model.Bytes;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A resource released by the KBS, decrypted with the TEE key.
 *
 * @param path {@code repository/type/tag}
 * @param plaintext the secret; {@link #toString()} shows only its size
 * @param tokenExpiry expiry of the attestation token that authorized the release, if it had one
 */
public record Resource(String path, Bytes plaintext, @Nullable Instant tokenExpiry) {
  public Resource {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(plaintext, "plaintext");
  }

  public Optional<Instant> tokenExpiryValue() {
    return Optional.ofNullable(tokenExpiry);
  }

  @Override
  public String toString() {
    return "Resource[" + path + ", " + plaintext.size() + " bytes redacted, tokenExpiry="
        + tokenExpiry + "]";
  }
}
