package dev.carapace.attestation.service.store;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Appraisal policy documents by id. The default implementation is {@link FilePolicyStore}; a
 * database can implement this later. Implementations are thread-safe and durable when a write
 * method returns.
 */
public interface PolicyStore {
  /** Every stored policy, ordered by id. */
  List<StoredPolicy> list();

  Optional<StoredPolicy> get(String id);

  /** Stores or replaces the policy with this id. */
  void put(StoredPolicy policy) throws IOException;

  /** Removes the policy; false if there was none. */
  boolean delete(String id) throws IOException;
}
