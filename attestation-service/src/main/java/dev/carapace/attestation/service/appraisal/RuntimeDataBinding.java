package dev.carapace.attestation.service.appraisal;

import dev.carapace.kbs.protocol.JsonCanonicalizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.attestation.service.appraisal.AttestationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What report data the evidence must carry, from a verification request's {@code runtime_data}:
 * for {@code {"structured": {...}}} the hash ({@code runtime_data_hash_algorithm}, default
 * SHA-384) of the object's RFC 8785 canonical JSON, exactly as CoCo guests compute it; for {@code
 * {"raw": "<base64url>"}} the bytes themselves. The hardware field is then compared with this
 * value zero-padded or truncated to its size ({@link #regularize}). Stateless.
 *
 * @param expected the value to find in the report data field
 * @param structured the structured runtime data (the token's {@code runtime_data_claims}), if any
 */
public record RuntimeDataBinding(Bytes expected, @Nullable ObjectNode structured) {

  /** Empty when the request has no runtime data (then report data is not checked). */
  public static Optional<RuntimeDataBinding> of(@Nullable JsonNode runtimeData,
      @Nullable String hashAlgorithm) throws AttestationException {
    if (runtimeData == null || runtimeData.isNull()) {
      return Optional.empty();
    }
    if (!runtimeData.isObject() || runtimeData.size() != 1) {
      throw invalid("runtime_data must be {\"structured\": {...}} or {\"raw\": \"<base64url>\"}");
    }
    JsonNode structured = runtimeData.get("structured");
    if (structured != null) {
      if (!structured.isObject()) {
        throw invalid("runtime_data.structured must be a JSON object");
      }
      String canonical;
      try {
        canonical = JsonCanonicalizer.canonicalize(structured);
      } catch (IllegalArgumentException e) {
        throw invalid("runtime_data.structured cannot be canonicalized: " + e.getMessage());
      }
      byte[] digest = digest(algorithm(hashAlgorithm), canonical.getBytes(StandardCharsets.UTF_8));
      return Optional.of(new RuntimeDataBinding(Bytes.copyOf(digest), (ObjectNode) structured));
    }
    JsonNode raw = runtimeData.get("raw");
    if (raw != null && raw.isTextual()) {
      try {
        return Optional.of(new RuntimeDataBinding(
            Bytes.copyOf(Base64.getUrlDecoder().decode(stripPadding(raw.asText()))), null));
      } catch (IllegalArgumentException e) {
        throw invalid("runtime_data.raw must be base64url");
      }
    }
    throw invalid("runtime_data must be {\"structured\": {...}} or {\"raw\": \"<base64url>\"}");
  }

  /** The JCA name of a Trustee hash algorithm name (sha256, sha384, sha512); default SHA-384. */
  static String algorithm(@Nullable String name) throws AttestationException {
    if (name == null || name.isEmpty()) {
      return "SHA-384";
    }
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "sha256", "sha-256" -> "SHA-256";
      case "sha384", "sha-384" -> "SHA-384";
      case "sha512", "sha-512" -> "SHA-512";
      default -> throw invalid("runtime_data_hash_algorithm must be sha256, sha384 or sha512, got "
          + name);
    };
  }

  /** {@code value} zero-padded or truncated to {@code size} bytes (Trustee's regularize_data). */
  public static Bytes regularize(Bytes value, int size) {
    if (value.size() == size) {
      return value;
    }
    byte[] out = new byte[size];
    value.slice(0, Math.min(size, value.size())).copyTo(out, 0);
    return Bytes.copyOf(out);
  }

  static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required by every Java platform", e);
    }
  }

  private static String stripPadding(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    return s.substring(0, end);
  }

  private static AttestationException invalid(String message) {
    return new AttestationException(Reason.INVALID_RUNTIME_DATA, message);
  }
}
