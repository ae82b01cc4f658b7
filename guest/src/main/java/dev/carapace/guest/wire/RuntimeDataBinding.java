package dev.carapace.guest.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;

/**
 * The binding of the TEE key and the KBS nonce into the hardware report (trustee.md §1.7): the
 * structured runtime data {@code {"tee-pubkey", "nonce", "additional-evidence"}}, its JCS
 * canonical form and that form's digest ({@code SHA-384} unless the KBS selects another).
 *
 * @param canonical the RFC 8785 canonical JSON text
 * @param hashAlgorithm {@code sha256}, {@code sha384} or {@code sha512}
 * @param digest the digest of the UTF-8 canonical text
 */
public record RuntimeDataBinding(String canonical, String hashAlgorithm, Bytes digest) {

  public RuntimeDataBinding {
    Objects.requireNonNull(canonical, "canonical");
    Objects.requireNonNull(hashAlgorithm, "hashAlgorithm");
    Objects.requireNonNull(digest, "digest");
  }

  /** The primary attester's binding of {@code teePubkey}, {@code nonce} and additional evidence. */
  public static RuntimeDataBinding of(JsonNode teePubkey, String nonce, String additionalEvidence,
      String hashAlgorithm) {
    ObjectNode runtimeData = JsonNodeFactory.instance.objectNode();
    runtimeData.set("tee-pubkey", teePubkey.deepCopy());
    runtimeData.put("nonce", nonce);
    runtimeData.put("additional-evidence", additionalEvidence);
    String canonical = JsonCanonicalizer.canonicalize(runtimeData);
    return new RuntimeDataBinding(canonical, hashAlgorithm,
        Bytes.copyOf(digest(hashAlgorithm, canonical.getBytes(StandardCharsets.UTF_8))));
  }

  /** JCA name of a KBS hash algorithm name (case-insensitive); IAE for others (e.g. sm3). */
  public static String jcaName(String hashAlgorithm) {
    return switch (hashAlgorithm.toLowerCase(Locale.ROOT)) {
      case "sha256" -> "SHA-256";
      case "sha384" -> "SHA-384";
      case "sha512" -> "SHA-512";
      default -> throw new IllegalArgumentException("unsupported hash algorithm " + hashAlgorithm);
    };
  }

  private static byte[] digest(String hashAlgorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(jcaName(hashAlgorithm)).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-2 is required by every Java platform", e);
    }
  }
}
