package dev.carapace.attestation.service.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * An appraisal policy document as uploaded (YAML or JSON text), stored verbatim.
 *
 * @param id the policy id (equal to the document's own id)
 * @param document the document text
 * @param updatedAt when it was last stored
 */
public record StoredPolicy(
    @JsonProperty("id") String id,
    @JsonProperty("document") String document,
    @JsonProperty("updated_at") Instant updatedAt) {
  public StoredPolicy {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
