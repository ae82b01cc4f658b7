package dev.carapace.tdx.eventlog;

import java.util.List;
import java.util.Objects;

/**
 * A parsed TCG2 crypto-agile CC event log. Parsing checks structure only; the content is
 * unverified until {@link RtmrReplayer} shows it reproduces RTMRs from a verified quote.
 * Immutable.
 *
 * @param specIdEvent the leading Spec ID event (event number 0)
 * @param events the TCG_PCR_EVENT2 entries in log order, numbered from 1
 * @param endOffset the offset of the first byte after the last entry; the bytes from here on
 *     were padding or an end marker and were not interpreted
 */
public record EventLog(SpecIdEvent specIdEvent, List<CcEvent> events, int endOffset) {
  public EventLog {
    Objects.requireNonNull(specIdEvent, "specIdEvent");
    events = List.copyOf(events);
    if (endOffset < 0) {
      throw new IllegalArgumentException("endOffset must be >= 0, got " + endOffset);
    }
  }

  /** The digest algorithms the log declares, in declaration order. */
  public List<DigestAlgorithm> algorithms() {
    return specIdEvent.algorithms();
  }
}
