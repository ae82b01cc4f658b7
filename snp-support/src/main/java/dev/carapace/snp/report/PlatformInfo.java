package dev.carapace.snp.report;

/**
 * PLATFORM_INFO (u64 at offset 0x40): platform features active when the report was generated.
 * Unknown bits are kept as they are (real Turin reports set bit 6, which no public layout
 * defines), so a report with them parses and round-trips.
 *
 * @param raw the little-endian u64 as stored in the report
 */
public record PlatformInfo(long raw) {
  public static final long SMT_EN = 1L;
  public static final long TSME_EN = 1L << 1;
  public static final long ECC_EN = 1L << 2;
  public static final long RAPL_DIS = 1L << 3;
  public static final long CIPHERTEXT_HIDING_EN = 1L << 4;
  /** Report v3+. */
  public static final long ALIAS_CHECK_COMPLETE = 1L << 5;
  /** Report v5. */
  public static final long SEV_TIO_EN = 1L << 7;

  public boolean smtEnabled() {
    return (raw & SMT_EN) != 0;
  }

  public boolean tsmeEnabled() {
    return (raw & TSME_EN) != 0;
  }

  public boolean eccEnabled() {
    return (raw & ECC_EN) != 0;
  }

  public boolean raplDisabled() {
    return (raw & RAPL_DIS) != 0;
  }

  public boolean ciphertextHidingEnabled() {
    return (raw & CIPHERTEXT_HIDING_EN) != 0;
  }

  public boolean aliasCheckComplete() {
    return (raw & ALIAS_CHECK_COMPLETE) != 0;
  }

  public boolean sevTioEnabled() {
    return (raw & SEV_TIO_EN) != 0;
  }

  /** True when every bit of {@code mask} is set. */
  public boolean hasAll(long mask) {
    return (raw & mask) == mask;
  }
}
