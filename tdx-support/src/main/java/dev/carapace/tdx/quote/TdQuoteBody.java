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
    Fields.exactly(teeTcbSvn, 16, "teeTcbSvn");
    Fields.exactly(mrSeam, 48, "mrSeam");
    Fields.exactly(mrSignerSeam, 48, "mrSignerSeam");
    Fields.exactly(seamAttributes, 8, "seamAttributes");
    Fields.exactly(tdAttributes, 8, "tdAttributes");
    Fields.exactly(xfam, 8, "xfam");
    Fields.exactly(mrTd, 48, "mrTd");
    Fields.exactly(mrConfigId, 48, "mrConfigId");
    Fields.exactly(mrOwner, 48, "mrOwner");
    Fields.exactly(mrOwnerConfig, 48, "mrOwnerConfig");
    rtmrs = List.copyOf(rtmrs);
    if (rtmrs.size() != 4) {
      throw new IllegalArgumentException("rtmrs must hold 4 registers, got " + rtmrs.size());
    }
    for (int i = 0; i < 4; i++) {
      Fields.exactly(rtmrs.get(i), 48, "rtmr" + i);
    }
    Fields.exactly(reportData, 64, "reportData");
    if ((teeTcbSvn2 == null) != (mrServiceTd == null)) {
      throw new IllegalArgumentException("teeTcbSvn2 and mrServiceTd come together (TDX 1.5)");
    }
    if (teeTcbSvn2 != null) {
      Fields.exactly(teeTcbSvn2, 16, "teeTcbSvn2");
      Fields.exactly(mrServiceTd, 48, "mrServiceTd");
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
