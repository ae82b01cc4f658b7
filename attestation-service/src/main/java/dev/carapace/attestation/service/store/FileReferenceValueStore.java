package dev.carapace.attestation.service.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@link ReferenceValueStore} as one JSON file per name in a directory. Thread-safe. */
public final class FileReferenceValueStore implements ReferenceValueStore {
  private final JsonFileDirectory<ReferenceValue> files;

  public FileReferenceValueStore(Path dir, ObjectMapper mapper) {
    this.files = new JsonFileDirectory<>(dir, mapper, ReferenceValue.class, ReferenceValue::name);
  }

  @Override
  public List<ReferenceValue> list() {
    return files.list();
  }

  @Override
  public Optional<ReferenceValue> get(String name) {
    return files.get(name);
  }

  @Override
  public void put(ReferenceValue value) throws IOException {
    files.put(value);
  }

  @Override
  public boolean delete(String name) throws IOException {
    return files.delete(name);
  }
}
