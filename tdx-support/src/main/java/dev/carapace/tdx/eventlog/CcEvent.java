package dev.carapace.tdx.eventlog;

import dev.carapace.attestation.model.Bytes;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One TCG_PCR_EVENT2 entry of a CC event log. Immutable.
 *
 * @param sequenceNumber position in the log: 1 for the first entry after the Spec ID event
 *     (which is number 0), increasing by one
 * @param offset byte offset of the entry's first byte in the log area
 * @param mrIndex the CC measurement-register index (u32): 0 = MRTD, 1..4 = RTMR0..3
 * @param type the event type
 * @param digests the digests in log order, at most one per algorithm
 * @param data the event data, uninterpreted
 */
public record CcEvent(
    int sequenceNumber,
    int offset,
    long mrIndex,
    EventType type,
    List<EventDigest> digests,
    Bytes data) {

  public CcEvent {
    if (sequenceNumber < 1) {
      throw new IllegalArgumentException("sequenceNumber must be >= 1, got " + sequenceNumber);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, got " + offset);
    }
    if (mrIndex < 0 || mrIndex > 0xffff_ffffL) {
      throw new IllegalArgumentException("mrIndex must fit in 32 bits, got " + mrIndex);
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
    digests = List.copyOf(digests);
    Set<Integer> ids = new HashSet<>();
    for (EventDigest d : digests) {
      if (!ids.add(d.algorithm().id())) {
        throw new IllegalArgumentException("two " + d.algorithm().name() + " digests");
      }
    }
  }

  /** The digest for this TPM_ALG_ID, if the event carries one. */
  public Optional<Bytes> digest(int algorithmId) {
    for (EventDigest d : digests) {
      if (d.algorithm().id() == algorithmId) {
        return Optional.of(d.value());
      }
    }
    return Optional.empty();
  }

  /** The digest for this algorithm, if the event carries one. */
  public Optional<Bytes> digest(DigestAlgorithm algorithm) {
    return digest(algorithm.id());
  }

  /** 0..3 when {@link #mrIndex()} names RTMR0..RTMR3 (MR index 1..4), otherwise empty. */
  public OptionalInt rtmrIndex() {
    return mrIndex >= 1 && mrIndex <= RtmrReplayer.RTMR_COUNT
        ? OptionalInt.of((int) mrIndex - 1)
        : OptionalInt.empty();
  }
}
