package dev.carapace.tdx.measure;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.simulate.TdQuoteRequest;
import java.util.List;
import java.util.Objects;

/**
 * The launch-time measurement registers of a TD: MRTD and RTMR0-3, each 48 bytes. Immutable.
 *
 * @param mrTd the build-time measurement
 * @param rtmrs exactly four runtime registers, RTMR0 first
 */
public record TdMeasurements(Bytes mrTd, List<Bytes> rtmrs) {
  public TdMeasurements {
    Bytes.requireSize(Objects.requireNonNull(mrTd, "mrTd"), Rtmr.LENGTH, "mrTd");
    rtmrs = List.copyOf(rtmrs);
    if (rtmrs.size() != 4) {
      throw new IllegalArgumentException("need 4 RTMRs, got " + rtmrs.size());
    }
    for (int i = 0; i < 4; i++) {
      Bytes.requireSize(rtmrs.get(i), Rtmr.LENGTH, "rtmr" + i);
    }
  }

  /** RTMR {@code index} (0..3). */
  public Bytes rtmr(int index) {
    return rtmrs.get(index);
  }

  /**
   * A request for the development quoting service carrying these registers and
   * {@code reportData} (64 bytes), every other field at {@link TdQuoteRequest#builder()}'s
   * defaults.
   */
  public TdQuoteRequest quoteRequest(Bytes reportData) {
    return TdQuoteRequest.builder().mrTd(mrTd).rtmrs(rtmrs).reportData(reportData).build();
  }
}
