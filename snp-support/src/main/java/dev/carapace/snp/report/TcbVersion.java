package dev.carapace.snp.report;

import java.util.Objects;

/**
 * A decoded TCB_VERSION: the security patch levels of the SEV-SNP firmware components. The same
 * 8 bytes decode differently per product: Milan/Genoa = [bl, tee, 0, 0, 0, 0, snp, microcode],
 * Turin = [fmc, bl, tee, snp, 0, 0, 0, microcode].
 *
 * @param product the layout used
 * @param fmc FMC SPL (Turin only, 0 otherwise)
 * @param raw the little-endian u64 as stored in the report
 */
public record TcbVersion(
    Product product, int bootloader, int tee, int snp, int microcode, int fmc, long raw) {

  public TcbVersion {
    Objects.requireNonNull(product, "product");
    for (int v : new int[] {bootloader, tee, snp, microcode, fmc}) {
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException("SPL values are bytes, got " + v);
      }
    }
    if (!product.turinTcbLayout() && fmc != 0) {
      throw new IllegalArgumentException("only Turin has an FMC SPL");
    }
  }

  /** Decodes the raw u64 for {@code product}. */
  public static TcbVersion decode(Product product, long raw) {
    int b0 = (int) raw & 0xff;
    int b1 = (int) (raw >>> 8) & 0xff;
    int b2 = (int) (raw >>> 16) & 0xff;
    int b3 = (int) (raw >>> 24) & 0xff;
    int b6 = (int) (raw >>> 48) & 0xff;
    int b7 = (int) (raw >>> 56) & 0xff;
    return product.turinTcbLayout()
        ? new TcbVersion(product, b1, b2, b3, b7, b0, raw)
        : new TcbVersion(product, b0, b1, b6, b7, 0, raw);
  }

  /** Encodes SPLs for {@code product} (reserved bytes zero). */
  public static TcbVersion of(Product product, int bootloader, int tee, int snp, int microcode,
      int fmc) {
    long raw = product.turinTcbLayout()
        ? (fmc & 0xffL) | (bootloader & 0xffL) << 8 | (tee & 0xffL) << 16 | (snp & 0xffL) << 24
            | (microcode & 0xffL) << 56
        : (bootloader & 0xffL) | (tee & 0xffL) << 8 | (snp & 0xffL) << 48
            | (microcode & 0xffL) << 56;
    return new TcbVersion(product, bootloader, tee, snp, microcode, fmc, raw);
  }

  /** True when every SPL of this version is at least the corresponding SPL of {@code other}. */
  public boolean isAtLeast(TcbVersion other) {
    return bootloader >= other.bootloader && tee >= other.tee && snp >= other.snp
        && microcode >= other.microcode && fmc >= other.fmc;
  }
}
