package dev.carapace.keybroker.store;

import dev.carapace.evidence.io.pem.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A {@link KeyValueStore} in a directory: one file per value, {@code DIR/<namespace>/<key as
 * hex>}. Writes go to a temporary file that is renamed over the target (readers see the old or
 * the new value, never a torn one); durable writes fsync the file and the directory first.
 * {@code putIfAbsent} uses an atomic hard link, so several processes sharing the directory (replicas
 * on one host, or on a POSIX shared volume) agree. Temporary files left by a crash are ignored and
 * removed at start once ten minutes old. Thread-safe.
 */
public final class FileKeyValueStore implements KeyValueStore {
  private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
  private static final int MAX_KEY = 512;
  private static final String TMP_PREFIX = ".tmp-";
  private final Path root;

  /** Age after which a temporary file is a crash leftover rather than another replica's write. */
  private static final Duration LEFTOVER_AGE = Duration.ofMinutes(10);

  public FileKeyValueStore(Path root, Clock clock) throws IOException {
    this.root = root.toAbsolutePath();
    AtomicFiles.createPrivateDirectories(this.root);
    removeLeftovers(clock.instant().minus(LEFTOVER_AGE));
  }

  @Override
  public Optional<byte[]> get(String namespace, String key) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(file(namespace, key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void put(String namespace, String key, byte[] value, Durability durability)
      throws IOException {
    Path target = file(namespace, key);
    if (durability == Durability.DURABLE) {
      AtomicFiles.writeCreatingDirectory(target, value, true);
      return;
    }
    Path tmp = temp(target, value, false);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public boolean putIfAbsent(String namespace, String key, byte[] value, Durability durability)
      throws IOException {
    Path target = file(namespace, key);
    Path tmp = temp(target, value, durability == Durability.DURABLE);
    try {
      Files.createLink(target, tmp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public boolean delete(String namespace, String key) throws IOException {
    return AtomicFiles.delete(file(namespace, key));
  }

  @Override
  public List<String> keys(String namespace) throws IOException {
    Path dir = directory(namespace);
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        if (!name.startsWith(TMP_PREFIX)) {
          try {
            out.add(new String(HexFormat.of().parseHex(name), StandardCharsets.UTF_8));
          } catch (IllegalArgumentException ignored) {
            // not ours
          }
        }
      }
    }
    return out;
  }

  private Path temp(Path target, byte[] value, boolean sync) throws IOException {
    Path dir = target.getParent();
    AtomicFiles.createPrivateDirectories(dir);
    Path tmp = Files.createTempFile(dir, TMP_PREFIX, ".part");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(value);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      if (sync) {
        ch.force(true);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }

  private Path directory(String namespace) {
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException("bad namespace " + namespace);
    }
    return root.resolve(namespace);
  }

  private Path file(String namespace, String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    if (k.length == 0 || k.length > MAX_KEY) {
      throw new IllegalArgumentException("keys have 1 to " + MAX_KEY + " bytes");
    }
    return directory(namespace).resolve(HexFormat.of().formatHex(k));
  }

  private void removeLeftovers(Instant olderThan) throws IOException {
    try (DirectoryStream<Path> namespaces = Files.newDirectoryStream(root)) {
      for (Path ns : namespaces) {
        if (!Files.isDirectory(ns)) {
          continue;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(ns, TMP_PREFIX + "*")) {
          for (Path p : s) {
            if (Files.getLastModifiedTime(p).toInstant().isBefore(olderThan)) {
              Files.deleteIfExists(p);
            }
          }
        }
      }
    }
  }
}
