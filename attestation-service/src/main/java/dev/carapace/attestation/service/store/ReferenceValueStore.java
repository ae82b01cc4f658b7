package dev.carapace.attestation.service.store;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Reference values by name. Stores keep expired entries (so that listings can show them); the
 * expiry is enforced by the reader that hands values to policies. Implementations are
 * thread-safe and durable when a write method returns.
 */
public interface ReferenceValueStore {
  /** Every stored reference value, expired ones included, ordered by name. */
  List<ReferenceValue> list();

  Optional<ReferenceValue> get(String name);

  /** Stores or replaces the reference value with this name. */
  void put(ReferenceValue value) throws IOException;

  /** Removes it; false if there was none. */
  boolean delete(String name) throws IOException;
}
