package dev.carapace.snp.report;

import java.util.Optional;

/** The key that signed a report: SIGNER_INFO bits 4:2 at offset 0x48. */
public enum SigningKey {
  /** Versioned Chip Endorsement Key: per chip and TCB, certified by the ASK. */
  VCEK(0),
  /** Versioned Loaded Endorsement Key: per cloud provider and TCB, certified by the ASVK. */
  VLEK(1),
  /** The report is not signed. */
  NONE(7);

  private final int code;

  SigningKey(int code) {
    this.code = code;
  }

  /** The 3-bit encoding in SIGNER_INFO. */
  public int code() {
    return code;
  }

  /** The key for a 3-bit code; empty for the reserved codes 2 to 6. */
  public static Optional<SigningKey> fromCode(int code) {
    for (SigningKey k : values()) {
      if (k.code == code) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
