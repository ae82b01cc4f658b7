package dev.carapace.tdx.eventlog;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of comparing replayed RTMRs with expected ones: the list of registers that differ,
 * in register order. Immutable.
 *
 * @param mismatches one entry per differing RTMR; empty when all four match
 */
public record RtmrComparison(List<RtmrMismatch> mismatches) {
  public RtmrComparison {
    mismatches = List.copyOf(mismatches);
  }

  /** Whether all four RTMRs match. */
  public boolean matches() {
    return mismatches.isEmpty();
  }

  /** The mismatch for RTMR {@code index}, if that register differs. */
  public Optional<RtmrMismatch> mismatch(int index) {
    return mismatches.stream().filter(m -> m.index() == index).findFirst();
  }
}
