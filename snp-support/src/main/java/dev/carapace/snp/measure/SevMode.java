package dev.carapace.snp.measure;

import java.util.Locale;
import java.util.Optional;

/** The guest protection mode, which selects the launch-measurement algorithm. */
public enum SevMode {
  /** SEV: SHA-256 over the firmware and the hashes table (32 bytes). */
  SEV,
  /** SEV-ES: SHA-256 over the firmware, the hashes table and the VMSA pages (32 bytes). */
  SEV_ES,
  /** SEV-SNP: the SHA-384 PAGE_INFO chain (48 bytes). */
  SEV_SNP;

  /** Length of the launch digest in bytes. */
  public int digestLength() {
    return this == SEV_SNP ? 48 : 32;
  }

  /**
   * Parses sev-snp-measure's mode names: {@code sev}, {@code seves}/{@code sev-es},
   * {@code snp}/{@code sev-snp} (any case).
   */
  public static Optional<SevMode> fromName(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "sev" -> Optional.of(SEV);
      case "seves", "sev-es" -> Optional.of(SEV_ES);
      case "snp", "sev-snp" -> Optional.of(SEV_SNP);
      default -> Optional.empty();
    };
  }
}
