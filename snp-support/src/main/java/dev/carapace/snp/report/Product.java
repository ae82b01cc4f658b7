package dev.carapace.snp.report;

import java.util.Optional;

/**
 * AMD EPYC product lines that sign SEV-SNP reports, as AMD KDS names them. The product decides
 * the TCB_VERSION byte layout (Turin differs) and the KDS URL path.
 */
public enum Product {
  MILAN("Milan", false),
  GENOA("Genoa", false),
  TURIN("Turin", true);

  private final String kdsName;
  private final boolean turinTcbLayout;

  Product(String kdsName, boolean turinTcbLayout) {
    this.kdsName = kdsName;
    this.turinTcbLayout = turinTcbLayout;
  }

  /** The path segment in AMD KDS URLs and the suffix of ARK/ASK common names. */
  public String kdsName() {
    return kdsName;
  }

  /** True when TCB_VERSION uses the Turin layout (FMC byte first). */
  public boolean turinTcbLayout() {
    return turinTcbLayout;
  }

  /**
   * Product from CPUID(1).EAX family and model, as reported in v3+ reports: family 0x19 models
   * 0x00-0x0F Milan, 0x10-0x1F and 0xA0-0xAF Genoa; family 0x1A models 0x00-0x11 Turin.
   */
  public static Optional<Product> fromCpuid(int family, int model) {
    if (family == 0x19 && model >= 0x00 && model <= 0x0F) {
      return Optional.of(MILAN);
    }
    if (family == 0x19 && ((model >= 0x10 && model <= 0x1F) || (model >= 0xA0 && model <= 0xAF))) {
      return Optional.of(GENOA);
    }
    if (family == 0x1A && model >= 0x00 && model <= 0x11) {
      return Optional.of(TURIN);
    }
    return Optional.empty();
  }

  /** Parses a KDS product name ("Milan", "Genoa", "Turin"), ignoring case and a stepping suffix. */
  public static Optional<Product> fromName(String name) {
    String base = name.contains("-") ? name.substring(0, name.indexOf('-')) : name;
    for (Product p : values()) {
      if (p.kdsName.equalsIgnoreCase(base)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
