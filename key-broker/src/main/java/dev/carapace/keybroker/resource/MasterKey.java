package dev.carapace.keybroker.resource;

import dev.carapace.evidence.io.pem.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 key that wraps every resource's data key. Read from a file of exactly 32 bytes, or
 * created there (mode 0600, atomically) on first start. Replicas must share it. Immutable.
 */
public final class MasterKey {
  private final SecretKey key;

  private MasterKey(byte[] raw) {
    this.key = new SecretKeySpec(raw, "AES");
  }

  /** Loads {@code file}, creating it with fresh random bytes if it does not exist. */
  public static MasterKey loadOrCreate(Path file, SecureRandom random) throws IOException {
    if (!Files.exists(file)) {
      byte[] raw = new byte[32];
      random.nextBytes(raw);
      Path tmp = file.resolveSibling(file.getFileName() + ".new");
      AtomicFiles.writeCreatingDirectory(tmp, raw, true);
      try {
        Files.createLink(file, tmp);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another replica created it first: use theirs
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    byte[] raw = Files.readAllBytes(file);
    if (raw.length != 32) {
      throw new IOException("the master key file " + file + " must hold exactly 32 bytes");
    }
    return new MasterKey(raw);
  }

  SecretKey key() {
    return key;
  }

  @Override
  public String toString() {
    return "MasterKey[redacted]";
  }
}
