package dev.carapace.attestation.service.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@link PolicyStore} as one JSON file per policy in a directory. Thread-safe. */
public final class FilePolicyStore implements PolicyStore {
  private final JsonFileDirectory<StoredPolicy> files;

  public FilePolicyStore(Path dir, ObjectMapper mapper) {
    this.files = new JsonFileDirectory<>(dir, mapper, StoredPolicy.class, StoredPolicy::id);
  }

  @Override
  public List<StoredPolicy> list() {
    return files.list();
  }

  @Override
  public Optional<StoredPolicy> get(String id) {
    return files.get(id);
  }

  @Override
  public void put(StoredPolicy policy) throws IOException {
    files.put(policy);
  }

  @Override
  public boolean delete(String id) throws IOException {
    return files.delete(id);
  }
}
