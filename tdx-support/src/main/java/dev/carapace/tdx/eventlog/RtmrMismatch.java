package dev.carapace.tdx.eventlog;

import dev.carapace.attestation.model.Bytes;
import java.util.Objects;

/**
 * An RTMR whose replayed value differs from the expected (quoted) one. Immutable.
 *
 * @param index 0..3 (RTMR0..RTMR3)
 * @param expected the value the quote reports
 * @param replayed the value the event log replays to
 */
public record RtmrMismatch(int index, Bytes expected, Bytes replayed) {
  public RtmrMismatch {
    if (index < 0 || index >= RtmrReplayer.RTMR_COUNT) {
      throw new IllegalArgumentException("index must be 0..3, got " + index);
    }
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(replayed, "replayed");
  }

  @Override
  public String toString() {
    return "RTMR" + index + ": expected " + expected.toHex() + ", replayed " + replayed.toHex();
  }
}
