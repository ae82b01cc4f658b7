package dev.carapace.attestation.service.store;

import java.io.IOException;
import java.util.List;

/**
 * Persists the token-signing keys (the current one and retired ones still published in the
 * JWKS). The default implementation is {@link FileSigningKeyStore}; an HSM- or database-backed
 * one can replace it. Implementations are thread-safe.
 */
public interface SigningKeyStore {
  /** The keys as last saved, in saved order; empty before the first save. */
  List<StoredSigningKey> load() throws IOException;

  /** Replaces the saved keys, durably, all at once. */
  void save(List<StoredSigningKey> keys) throws IOException;
}
