package dev.carapace.snp.kds;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.kds.KdsException.Reason;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import java.util.Locale;
import java.util.Objects;

/**
 * Identifies one VCEK as AMD KDS does: product, hardware id and the TCB it was derived for. Also
 * the cache key for VCEKs. The TCB is kept canonical (reserved bytes zero), so two reports whose
 * TCB_VERSION differs only in reserved bytes map to the same VCEK.
 *
 * <p>The hardware id is the report's 64-byte CHIP_ID for Milan and Genoa, and the first 8 bytes of
 * CHIP_ID for Turin (the rest of a Turin CHIP_ID is zero; KDS answers 404 for the 64-byte form).
 *
 * @param hwid 64 bytes (Milan, Genoa) or 8 bytes (Turin)
 * @param tcb canonical TCB for {@code product}
 */
public record VcekId(Product product, Bytes hwid, TcbVersion tcb) {
  /** Size of CHIP_ID in a report. */
  public static final int CHIP_ID_SIZE = 64;
  /** Size of a Turin hardware id. */
  public static final int TURIN_HWID_SIZE = 8;

  public VcekId {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(hwid, "hwid");
    Objects.requireNonNull(tcb, "tcb");
    int want = product.turinTcbLayout() ? TURIN_HWID_SIZE : CHIP_ID_SIZE;
    if (hwid.size() != want) {
      throw new IllegalArgumentException(product.kdsName() + " hwid must be " + want
          + " bytes, got " + hwid.size());
    }
    if (tcb.product() != product) {
      throw new IllegalArgumentException("TCB is for " + tcb.product().kdsName() + ", not "
          + product.kdsName());
    }
    tcb = TcbVersion.of(product, tcb.bootloader(), tcb.tee(), tcb.snp(), tcb.microcode(),
        tcb.fmc());
  }

  /**
   * The VCEK id for a report's CHIP_ID and REPORTED_TCB.
   *
   * @param chipId 64 bytes; for Turin also the 8-byte hardware id alone
   * @throws IllegalArgumentException if {@code chipId} has another size, a 64-byte Turin CHIP_ID
   *     has non-zero bytes after the 8th, or {@code reportedTcb} is for another product
   */
  public static VcekId of(Product product, Bytes chipId, TcbVersion reportedTcb) {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(chipId, "chipId");
    if (!product.turinTcbLayout()) {
      if (chipId.size() != CHIP_ID_SIZE) {
        throw new IllegalArgumentException(product.kdsName() + " CHIP_ID must be "
            + CHIP_ID_SIZE + " bytes, got " + chipId.size());
      }
      return new VcekId(product, chipId, reportedTcb);
    }
    if (chipId.size() == TURIN_HWID_SIZE) {
      return new VcekId(product, chipId, reportedTcb);
    }
    if (chipId.size() != CHIP_ID_SIZE
        || !chipId.slice(TURIN_HWID_SIZE, CHIP_ID_SIZE - TURIN_HWID_SIZE).isAllZero()) {
      throw new IllegalArgumentException("Turin CHIP_ID must be 8 bytes, or 64 bytes with bytes"
          + " 8..63 zero; got " + chipId.size() + " bytes");
    }
    return new VcekId(product, chipId.slice(0, TURIN_HWID_SIZE), reportedTcb);
  }

  /**
   * Like {@link #of}, for sources: an all-zero CHIP_ID (the guest set MASK_CHIP_ID) identifies no
   * VCEK and is {@link Reason#NOT_FOUND}.
   */
  static VcekId forLookup(Product product, Bytes chipId, TcbVersion reportedTcb)
      throws KdsException {
    VcekId id = of(product, chipId, reportedTcb);
    if (id.hwid().isAllZero()) {
      throw new KdsException(Reason.NOT_FOUND, "CHIP_ID is all zero (MASK_CHIP_ID): no "
          + product.kdsName() + " VCEK can be looked up; the evidence must carry its certificate");
    }
    return id;
  }

  /** The hardware id in lower-case hex, as in KDS URLs. */
  public String hwidHex() {
    return hwid.toHex();
  }

  /** The canonical TCB as 16 lower-case hex digits of its u64 value (e.g. 4405000000000002). */
  public String tcbHex() {
    return String.format(Locale.ROOT, "%016x", tcb.raw());
  }

  /**
   * The KDS path and query, e.g. {@code /vcek/v1/Milan/3ac3…6b5d?blSPL=02&teeSPL=00&snpSPL=05
   * &ucodeSPL=68}; Turin: {@code /vcek/v1/Turin/<8-byte hex>?fmcSPL=..&blSPL=..&teeSPL=..
   * &snpSPL=..&ucodeSPL=..}. SPLs are decimal, zero-padded to two digits (as snpguest sends them;
   * KDS reads them as integers).
   */
  public String kdsPathAndQuery() {
    return "/vcek/v1/" + product.kdsName() + "/" + hwidHex() + "?" + query();
  }

  private String query() {
    String common = "blSPL=" + spl(tcb.bootloader()) + "&teeSPL=" + spl(tcb.tee())
        + "&snpSPL=" + spl(tcb.snp()) + "&ucodeSPL=" + spl(tcb.microcode());
    return product.turinTcbLayout() ? "fmcSPL=" + spl(tcb.fmc()) + "&" + common : common;
  }

  private static String spl(int value) {
    return String.format(Locale.ROOT, "%02d", value);
  }

  @Override
  public String toString() {
    return product.kdsName() + " VCEK " + hwidHex() + " @ TCB " + tcbHex();
  }
}
