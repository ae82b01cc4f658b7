package dev.carapace.kbs.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a guest binds its TEE key and the challenge to its hardware evidence (KBS 0.4.0): the
 * structured runtime data {@code {"tee-pubkey", "nonce", "additional-evidence"}} is canonicalized
 * with RFC 8785 (JCS), hashed (SHA-384 unless the KBS selected another), and the digest is put in
 * the report data, padded with zeros or truncated to the field's size. Stateless.
 */
public final class RuntimeDataBinding {
  private RuntimeDataBinding() {}

  /** Hash algorithms a guest offers in {@code supported-hash-algorithms}. */
  public enum HashAlgorithm {
    SHA256("sha256", "SHA-256"),
    SHA384("sha384", "SHA-384"),
    SHA512("sha512", "SHA-512");

    private final String wireName;
    private final String jcaName;

    HashAlgorithm(String wireName, String jcaName) {
      this.wireName = wireName;
      this.jcaName = jcaName;
    }

    public String wireName() {
      return wireName;
    }

    /** The algorithm named {@code name} (case-insensitive), if supported. */
    public static Optional<HashAlgorithm> fromWireName(String name) {
      String n = name.toLowerCase(Locale.ROOT);
      for (HashAlgorithm a : values()) {
        if (a.wireName.equals(n)) {
          return Optional.of(a);
        }
      }
      return Optional.empty();
    }

    public Bytes digest(byte[] data) {
      try {
        return Bytes.copyOf(MessageDigest.getInstance(jcaName).digest(data));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(jcaName + " is required by the Java platform", e);
      }
    }
  }

  /** The structured runtime data of the primary attester. */
  public static ObjectNode structured(TeePublicKey key, String nonce, String additionalEvidence) {
    ObjectNode n = KbsJson.object();
    n.set("tee-pubkey", key.toJwk());
    n.put("nonce", nonce);
    n.put("additional-evidence", additionalEvidence);
    return n;
  }

  /** The RFC 8785 text that is hashed. */
  public static String canonical(TeePublicKey key, String nonce, String additionalEvidence) {
    return JsonCanonicalizer.canonicalize(structured(key, nonce, additionalEvidence));
  }

  /** The digest of the canonical runtime data. */
  public static Bytes digest(TeePublicKey key, String nonce, String additionalEvidence,
      HashAlgorithm algorithm) {
    return algorithm.digest(
        canonical(key, nonce, additionalEvidence).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code digest} padded with zeros or truncated to {@code size} bytes (64 for TDX and SNP). */
  public static Bytes reportData(Bytes digest, int size) {
    return Bytes.copyOf(Arrays.copyOf(digest.toByteArray(), size));
  }
}
