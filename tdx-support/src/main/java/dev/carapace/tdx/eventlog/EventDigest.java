package dev.carapace.tdx.eventlog;

import dev.carapace.attestation.model.Bytes;
import java.util.Objects;

/**
 * One digest of an event: the algorithm (as declared in the log's Spec ID event) and its value,
 * which always has the algorithm's declared size. Immutable.
 */
public record EventDigest(DigestAlgorithm algorithm, Bytes value) {
  public EventDigest {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(value, "value");
    if (value.size() != algorithm.digestSize()) {
      throw new IllegalArgumentException(
          algorithm.name() + " digest must be " + algorithm.digestSize() + " bytes, got "
              + value.size());
    }
  }
}
