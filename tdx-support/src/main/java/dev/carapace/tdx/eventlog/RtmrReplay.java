package dev.carapace.tdx.eventlog;

import dev.carapace.attestation.model.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The four RTMRs recomputed from an event log, each with the events that make it up. Produced
 * by {@link RtmrReplayer#replay}. Immutable.
 *
 * @param rtmrs exactly four registers, RTMR0..RTMR3 in order
 */
public record RtmrReplay(List<ReplayedRtmr> rtmrs) {
  public RtmrReplay {
    rtmrs = List.copyOf(rtmrs);
    if (rtmrs.size() != RtmrReplayer.RTMR_COUNT) {
      throw new IllegalArgumentException("exactly 4 RTMRs required, got " + rtmrs.size());
    }
    for (int i = 0; i < rtmrs.size(); i++) {
      if (rtmrs.get(i).index() != i) {
        throw new IllegalArgumentException("RTMR at position " + i + " has index "
            + rtmrs.get(i).index());
      }
    }
  }

  /** The replayed value of RTMR {@code index} (0..3). */
  public Bytes value(int index) {
    return rtmrs.get(index).value();
  }

  /** The four replayed values, RTMR0..RTMR3. */
  public List<Bytes> values() {
    return rtmrs.stream().map(ReplayedRtmr::value).toList();
  }

  /**
   * Compares with the RTMRs reported by a quote (e.g. {@code quote.body().rtmrs()}).
   *
   * @param expected exactly four 48-byte values, RTMR0..RTMR3
   * @throws IllegalArgumentException if {@code expected} does not hold four 48-byte values
   */
  public RtmrComparison compare(List<Bytes> expected) {
    Objects.requireNonNull(expected, "expected");
    if (expected.size() != RtmrReplayer.RTMR_COUNT) {
      throw new IllegalArgumentException("expected 4 RTMRs, got " + expected.size());
    }
    List<RtmrMismatch> mismatches = new ArrayList<>();
    for (int i = 0; i < RtmrReplayer.RTMR_COUNT; i++) {
      Bytes want = Objects.requireNonNull(expected.get(i), "expected RTMR");
      if (want.size() != RtmrReplayer.RTMR_SIZE) {
        throw new IllegalArgumentException(
            "expected RTMR" + i + " must be 48 bytes, got " + want.size());
      }
      if (!want.equals(value(i))) {
        mismatches.add(new RtmrMismatch(i, want, value(i)));
      }
    }
    return new RtmrComparison(mismatches);
  }
}
