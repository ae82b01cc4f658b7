package dev.carapace.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.kbs.protocol.KbsProtocolException.Reason;
import java.util.Objects;

/**
 * A resource as the KBS returns it: RFC 7516 flattened JSON serialization with the members
 * Trustee emits, in its order ({@code protected, encrypted_key, iv, ciphertext, tag}; no
 * {@code aad}). Every value is base64url without padding. Immutable.
 */
public record JweResponse(String protectedHeader, String encryptedKey, String iv,
    String ciphertext, String tag) {
  public JweResponse {
    Objects.requireNonNull(protectedHeader, "protectedHeader");
    Objects.requireNonNull(encryptedKey, "encryptedKey");
    Objects.requireNonNull(iv, "iv");
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(tag, "tag");
  }

  public ObjectNode toJson() {
    ObjectNode n = KbsJson.object();
    n.put("protected", protectedHeader);
    n.put("encrypted_key", encryptedKey);
    n.put("iv", iv);
    n.put("ciphertext", ciphertext);
    n.put("tag", tag);
    return n;
  }

  /** Reads the flattened JSON; MALFORMED_JWE when a member is missing or {@code aad} is set. */
  public static JweResponse read(byte[] json) throws KbsProtocolException {
    JsonNode n = KbsJson.parse(json);
    if (!n.isObject()) {
      throw new KbsProtocolException(Reason.MALFORMED_JWE, "a JWE response is a JSON object");
    }
    if (n.has("aad")) {
      throw new KbsProtocolException(Reason.MALFORMED_JWE, "JWE responses carry no aad");
    }
    return new JweResponse(KbsJson.text(n, "protected", Reason.MALFORMED_JWE),
        KbsJson.text(n, "encrypted_key", Reason.MALFORMED_JWE),
        KbsJson.text(n, "iv", Reason.MALFORMED_JWE),
        KbsJson.text(n, "ciphertext", Reason.MALFORMED_JWE),
        KbsJson.text(n, "tag", Reason.MALFORMED_JWE));
  }

  /** The same JWE in compact serialization (for JOSE libraries that only read that). */
  public String toCompact() {
    return protectedHeader + "." + encryptedKey + "." + iv + "." + ciphertext + "." + tag;
  }
}
