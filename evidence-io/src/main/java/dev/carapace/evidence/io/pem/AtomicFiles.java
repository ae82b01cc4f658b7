package dev.carapace.evidence.io.pem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Crash-safe file replacement: a reader sees the old file or the complete new one, never a part;
 * durable deletion; private directories. Shared by every module that keeps state in files.
 * Stateless.
 */
public final class AtomicFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> WORLD_READABLE =
      PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");

  private AtomicFiles() {}

  /**
   * Writes {@code content} to a temporary sibling of {@code file} (created owner-only), fsyncs
   * it, makes it world-readable unless {@code secret} (where POSIX permissions exist), renames it
   * over {@code file} with {@code ATOMIC_MOVE} and fsyncs the directory. The directory must
   * exist; the temporary file never outlives the call.
   *
   * @throws IOException also if the file system cannot rename atomically
   */
  public static void write(Path file, byte[] content, boolean secret) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
    FileAttribute<?>[] attrs = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attrs);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      if (posix && !secret) {
        Files.setPosixFilePermissions(tmp, WORLD_READABLE);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("file system cannot rename atomically: " + dir, e);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    syncDirectory(dir);
  }

  /**
   * Writes {@code content} like {@link #write(Path, byte[], boolean)}, creating the directory
   * first (mode 0700 where POSIX permissions exist) if it is missing.
   */
  public static void writeCreatingDirectory(Path file, byte[] content, boolean secret)
      throws IOException {
    createPrivateDirectories(file.toAbsolutePath().getParent());
    write(file, content, secret);
  }

  /** Deletes {@code file} if it exists and makes the removal durable; whether it existed. */
  public static boolean delete(Path file) throws IOException {
    boolean deleted = Files.deleteIfExists(file);
    if (deleted) {
      syncDirectory(file.toAbsolutePath().getParent());
    }
    return deleted;
  }

  /** Creates {@code dir} and missing parents, new ones with mode 0700 where POSIX exists. */
  public static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && Files.getFileStore(existing).supportsFileAttributeView("posix")) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
    } else {
      Files.createDirectories(dir);
    }
  }

  /**
   * Fsyncs {@code dir} so that renames and deletions in it are durable; a no-op where a directory
   * cannot be opened or synced (the rename itself is still atomic).
   */
  public static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not every platform can open or sync a directory.
    }
  }
}
