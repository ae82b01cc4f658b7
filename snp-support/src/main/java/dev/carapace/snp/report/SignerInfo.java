package dev.carapace.snp.report;

import java.util.Objects;

/**
 * The u32 at offset 0x48: bit 0 AUTHOR_KEY_EN, bit 1 MASK_CHIP_KEY, bits 4:2 SIGNING_KEY; bits
 * 31:5 must be zero.
 *
 * @param authorKeyEn the ID block was signed by an author key, whose digest is in the report
 * @param maskChipKey the host asked the firmware to zero CHIP_ID
 * @param signingKey which key signed the report
 */
public record SignerInfo(boolean authorKeyEn, boolean maskChipKey, SigningKey signingKey) {

  public SignerInfo {
    Objects.requireNonNull(signingKey, "signingKey");
  }

  /** True when {@code raw} has zero reserved bits and a defined signing key code. */
  public static boolean isValid(long raw) {
    return (raw & ~0x1FL) == 0 && SigningKey.fromCode((int) (raw >>> 2) & 7).isPresent();
  }

  /** Decodes a valid raw value; see {@link #isValid}. */
  public static SignerInfo fromRaw(long raw) {
    if (!isValid(raw)) {
      throw new IllegalArgumentException("invalid SIGNER_INFO 0x" + Long.toHexString(raw));
    }
    return new SignerInfo((raw & 1) != 0, (raw & 2) != 0,
        SigningKey.fromCode((int) (raw >>> 2) & 7).orElseThrow());
  }

  public long toRaw() {
    return (authorKeyEn ? 1 : 0) | (maskChipKey ? 2 : 0) | (long) signingKey.code() << 2;
  }
}
