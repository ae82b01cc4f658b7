package dev.carapace.tdx.eventlog;

import dev.carapace.attestation.model.Bytes;
import java.util.List;
import java.util.Objects;

/**
 * One RTMR as recomputed from an event log. Immutable.
 *
 * @param index 0..3 (RTMR0..RTMR3; CC MR index {@code index + 1})
 * @param value the 48-byte register value after extending every event in {@code events}
 * @param events the events extended into this register, in order (empty for an untouched,
 *     all-zero register)
 */
public record ReplayedRtmr(int index, Bytes value, List<CcEvent> events) {
  public ReplayedRtmr {
    if (index < 0 || index >= RtmrReplayer.RTMR_COUNT) {
      throw new IllegalArgumentException("index must be 0..3, got " + index);
    }
    Objects.requireNonNull(value, "value");
    if (value.size() != RtmrReplayer.RTMR_SIZE) {
      throw new IllegalArgumentException("RTMR value must be 48 bytes, got " + value.size());
    }
    events = List.copyOf(events);
  }
}
