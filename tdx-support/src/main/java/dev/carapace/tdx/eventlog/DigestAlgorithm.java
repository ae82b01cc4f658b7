package dev.carapace.tdx.eventlog;

import java.util.Map;
import java.util.OptionalInt;

/**
 * A TPM hash algorithm as listed in the Spec ID event: its TCG algorithm id and the digest size
 * the log declares for it. Any id is accepted as long as the size is 1..{@link #MAX_DIGEST_SIZE};
 * the parser additionally requires the standard size for the ids it knows. Immutable.
 *
 * @param id TPM_ALG_ID (u16), e.g. 0x000C for SHA-384
 * @param digestSize bytes per digest
 */
public record DigestAlgorithm(int id, int digestSize) {
  /** The largest digest of any TPM hash (SHA-512, SHA3-512). */
  public static final int MAX_DIGEST_SIZE = 64;

  public static final DigestAlgorithm SHA1 = new DigestAlgorithm(0x0004, 20);
  public static final DigestAlgorithm SHA256 = new DigestAlgorithm(0x000B, 32);
  public static final DigestAlgorithm SHA384 = new DigestAlgorithm(0x000C, 48);
  public static final DigestAlgorithm SHA512 = new DigestAlgorithm(0x000D, 64);
  public static final DigestAlgorithm SM3_256 = new DigestAlgorithm(0x0012, 32);
  public static final DigestAlgorithm SHA3_256 = new DigestAlgorithm(0x0027, 32);
  public static final DigestAlgorithm SHA3_384 = new DigestAlgorithm(0x0028, 48);
  public static final DigestAlgorithm SHA3_512 = new DigestAlgorithm(0x0029, 64);

  private static final Map<Integer, String> NAMES = Map.of(
      0x0004, "SHA-1",
      0x000B, "SHA-256",
      0x000C, "SHA-384",
      0x000D, "SHA-512",
      0x0012, "SM3",
      0x0027, "SHA3-256",
      0x0028, "SHA3-384",
      0x0029, "SHA3-512");

  private static final Map<Integer, Integer> SIZES = Map.of(
      0x0004, 20, 0x000B, 32, 0x000C, 48, 0x000D, 64, 0x0012, 32, 0x0027, 32, 0x0028, 48,
      0x0029, 64);

  public DigestAlgorithm {
    if (id < 0 || id > 0xffff) {
      throw new IllegalArgumentException("algorithm id must fit in 16 bits, got " + id);
    }
    if (digestSize < 1 || digestSize > MAX_DIGEST_SIZE) {
      throw new IllegalArgumentException(
          "digest size must be in [1, " + MAX_DIGEST_SIZE + "], got " + digestSize);
    }
  }

  /** The standard digest size for a well-known algorithm id, empty for other ids. */
  public static OptionalInt standardDigestSize(int id) {
    Integer size = SIZES.get(id);
    return size == null ? OptionalInt.empty() : OptionalInt.of(size);
  }

  /** "SHA-384", "SM3", ... for well-known ids, otherwise "ALG_0x" and four hex digits. */
  public String name() {
    return NAMES.getOrDefault(id, String.format("ALG_0x%04x", id));
  }

  @Override
  public String toString() {
    return name() + "(" + digestSize + ")";
  }
}
