package dev.carapace.attestation.service.store;

import dev.carapace.evidence.io.pem.AtomicFiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One JSON file per entry in a directory, mirrored in memory: reads never touch the disk, writes
 * go to disk first ({@link AtomicFiles}) and then to memory, so a crash never leaves memory ahead
 * of the disk. File names are the entry keys with every character outside {@code [A-Za-z0-9_-]}
 * written as {@code %XX} (UTF-8), so any key maps to exactly one safe name. Thread-safe: writes
 * are serialized, reads are lock-free.
 */
final class JsonFileDirectory<T> {
  private static final String SUFFIX = ".json";

  private final Path dir;
  private final ObjectMapper mapper;
  private final Class<T> type;
  private final Function<T, String> key;
  private final Map<String, T> entries = new ConcurrentHashMap<>();

  JsonFileDirectory(Path dir, ObjectMapper mapper, Class<T> type, Function<T, String> key) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.type = Objects.requireNonNull(type, "type");
    this.key = Objects.requireNonNull(key, "key");
    try {
      AtomicFiles.createPrivateDirectories(dir);
      load();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the store in " + dir, e);
    }
  }

  private void load() throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.startsWith(".tmp-")) {
          Files.deleteIfExists(file); // left by a crash before the rename
          continue;
        }
        if (!name.endsWith(SUFFIX)) {
          continue;
        }
        T value;
        try {
          value = mapper.readValue(file.toFile(), type);
        } catch (IOException e) {
          throw new IOException("store file " + file + " is not a valid " + type.getSimpleName()
              + ": " + e.getMessage(), e);
        }
        String k = key.apply(value);
        if (!fileName(k).equals(name)) {
          throw new IOException("store file " + file + " holds entry \"" + k + "\"");
        }
        entries.put(k, value);
      }
    }
  }

  /** All entries, ordered by key. */
  List<T> list() {
    List<Map.Entry<String, T>> sorted = new ArrayList<>(entries.entrySet());
    sorted.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
    List<T> out = new ArrayList<>(sorted.size());
    sorted.forEach(e -> out.add(e.getValue()));
    return out;
  }

  Optional<T> get(String k) {
    return Optional.ofNullable(entries.get(k));
  }

  synchronized void put(T value) throws IOException {
    String k = key.apply(value);
    AtomicFiles.writeCreatingDirectory(dir.resolve(fileName(k)), mapper.writeValueAsBytes(value),
        true);
    entries.put(k, value);
  }

  synchronized boolean delete(String k) throws IOException {
    boolean existed = entries.containsKey(k);
    AtomicFiles.delete(dir.resolve(fileName(k)));
    entries.remove(k);
    return existed;
  }

  static String fileName(String k) {
    StringBuilder b = new StringBuilder(k.length() + SUFFIX.length());
    for (byte c : k.getBytes(StandardCharsets.UTF_8)) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
          || c == '-') {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return b.append(SUFFIX).toString();
  }
}
