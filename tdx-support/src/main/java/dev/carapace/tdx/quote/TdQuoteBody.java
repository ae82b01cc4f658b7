package dev.carapace.tdx.quote;

import dev.carapace.attestation.model.Bytes;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The TD report body carried in a quote: TDX 1.0 (584 bytes) or TDX 1.5 (648 bytes, which adds
 * {@code teeTcbSvn2} and {@code mrServiceTd}).
 *
 * @param rtmrs exactly four 48-byte runtime measurement registers, RTMR0..RTMR3
 */
public record TdQuoteBody(
    Bytes teeTcbSvn,
    Bytes mrSeam,
    Bytes mrSignerSeam,
    Bytes seamAttributes,
    Bytes tdAttributes,
    Bytes xfam,
    Bytes mrTd,
    Bytes mrConfigId,
    Bytes mrOwner,
    Bytes mrOwnerConfig,
    List<Bytes> rtmrs,
    Bytes reportData,
    @Nullable Bytes teeTcbSvn2,
    @Nullable Bytes mrServiceTd) {

  public static final int SIZE_TDX10 = 584;
  public static final int SIZE_TDX15 = 648;

  public TdQuoteBody {
    Bytes.requireSize(teeTcbSvn, 16, "teeTcbSvn");
    Bytes.requireSize(mrSeam, 48, "mrSeam");
    Bytes.requireSize(mrSignerSeam, 48, "mrSignerSeam");
    Bytes.requireSize(seamAttributes, 8, "seamAttributes");
    Bytes.requireSize(tdAttributes, 8, "tdAttributes");
    Bytes.requireSize(xfam, 8, "xfam");
    Bytes.requireSize(mrTd, 48, "mrTd");
    Bytes.requireSize(mrConfigId, 48, "mrConfigId");
    Bytes.requireSize(mrOwner, 48, "mrOwner");
    Bytes.requireSize(mrOwnerConfig, 48, "mrOwnerConfig");
    rtmrs = List.copyOf(rtmrs);
    if (rtmrs.size() != 4) {
      throw new IllegalArgumentException("rtmrs must hold 4 registers, got " + rtmrs.size());
    }
    for (int i = 0; i < 4; i++) {
      Bytes.requireSize(rtmrs.get(i), 48, "rtmr" + i);
    }
    Bytes.requireSize(reportData, 64, "reportData");
    if ((teeTcbSvn2 == null) != (mrServiceTd == null)) {
      throw new IllegalArgumentException("teeTcbSvn2 and mrServiceTd come together (TDX 1.5)");
    }
    if (teeTcbSvn2 != null) {
      Bytes.requireSize(teeTcbSvn2, 16, "teeTcbSvn2");
      Bytes.requireSize(mrServiceTd, 48, "mrServiceTd");
    }
  }

  /** True for a TDX 1.5 body. */
  public boolean isTdx15() {
    return teeTcbSvn2 != null;
  }

  public int encodedSize() {
    return isTdx15() ? SIZE_TDX15 : SIZE_TDX10;
  }

  public Optional<Bytes> teeTcbSvn2Value() {
    return Optional.ofNullable(teeTcbSvn2);
  }

  public Optional<Bytes> mrServiceTdValue() {
    return Optional.ofNullable(mrServiceTd);
  }

  /** The TD attributes as the little-endian u64 the TDX module defines. */
  public TdAttributes attributes() {
    return new TdAttributes(Fields.le64(tdAttributes));
  }

  public Bytes rtmr(int index) {
    return rtmrs.get(index);
  }
}
