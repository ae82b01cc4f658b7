package dev.carapace.snp.measure;

import dev.carapace.attestation.model.Bytes;
import java.util.List;
import java.util.Objects;

/**
 * A launch digest with the page updates that produced it.
 *
 * @param digest the final launch digest (48 bytes for SNP, 32 for SEV/SEV-ES)
 * @param steps every SNP page update in order; empty for SEV and SEV-ES, which hash a flat stream
 */
public record TracedDigest(Bytes digest, List<TraceStep> steps) {
  public TracedDigest {
    Objects.requireNonNull(digest, "digest");
    steps = List.copyOf(steps);
  }
}
