package dev.carapace.guest.wire;

import java.util.Objects;

/**
 * A KBS resource response: RFC 7516 flattened JSON serialization as Trustee emits it, members in
 * the order {@code protected, encrypted_key, iv, ciphertext, tag}, every value base64url without
 * padding. No {@code aad} member (kbs-types would read it as raw bytes).
 */
public record JweResponse(
    String protectedHeader, String encryptedKey, String iv, String ciphertext, String tag) {

  public JweResponse {
    Objects.requireNonNull(protectedHeader, "protectedHeader");
    Objects.requireNonNull(encryptedKey, "encryptedKey");
    Objects.requireNonNull(iv, "iv");
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(tag, "tag");
  }
}
