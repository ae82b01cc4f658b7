package dev.carapace.keybroker.store;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The broker's state behind one interface, so that replicas can share it: values by namespace and
 * key. Implementations must make a {@link Durability#DURABLE} write survive a crash of the process
 * or machine once {@code put} returns, and must never expose a torn value. Thread-safe.
 */
public interface KeyValueStore {
  /** How hard a write must hold. */
  enum Durability {
    /** On stable storage when {@code put} returns (resources, policies). */
    DURABLE,
    /** Visible to every replica when {@code put} returns; may be lost in a crash (sessions). */
    VOLATILE
  }

  Optional<byte[]> get(String namespace, String key) throws IOException;

  void put(String namespace, String key, byte[] value, Durability durability) throws IOException;

  /** Stores {@code value} only if {@code key} is absent; false if it was present. */
  boolean putIfAbsent(String namespace, String key, byte[] value, Durability durability)
      throws IOException;

  boolean delete(String namespace, String key) throws IOException;

  /** The keys of a namespace, in no particular order. */
  List<String> keys(String namespace) throws IOException;
}
