package dev.carapace.runtime.kernel;

import dev.carapace.runtime.kernel.KernelFormatException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * A Linux x86-64 kernel image as a boot loader needs it: either an uncompressed vmlinux
 * ({@link ElfKernel}) or a compressed bzImage ({@link BzImage}). Instances hold a private copy of
 * the file and are immutable, so they are safe to share between threads.
 */
public sealed interface KernelImage permits ElfKernel, BzImage {
  /** The largest image accepted, and the largest vmlinux a payload may decompress to: 512 MiB. */
  long MAX_SIZE = 512L << 20;

  /** Size of the image file in bytes. */
  int fileSize();

  /** Feeds the whole image file, exactly as read, to {@code digest}. */
  void digestFile(MessageDigest digest);

  /**
   * Parses an image, telling the format from its first bytes (ELF magic, else a bzImage setup
   * header). The array is copied.
   *
   * @throws KernelFormatException if it is neither, or malformed
   */
  static KernelImage parse(byte[] image) throws KernelFormatException {
    if (image.length > MAX_SIZE) {
      throw new KernelFormatException(Reason.TOO_LARGE,
          "image is " + image.length + " bytes, at most " + MAX_SIZE + " accepted");
    }
    if (ElfKernel.hasElfMagic(image)) {
      return ElfKernel.parse(image);
    }
    if (BzImage.hasSetupHeader(image)) {
      return BzImage.parse(image);
    }
    throw new KernelFormatException(Reason.UNKNOWN_FORMAT,
        "neither ELF magic nor a bzImage setup header (\"HdrS\" at 0x202)");
  }

  /**
   * Reads and parses an image file, refusing files larger than {@link #MAX_SIZE} before reading
   * them.
   */
  static KernelImage read(Path file) throws IOException, KernelFormatException {
    return parse(readBounded(file, MAX_SIZE));
  }

  /** Reads a file of at most {@code max} bytes (checked before and while reading). */
  static byte[] readBounded(Path file, long max) throws IOException, KernelFormatException {
    long size = Files.size(file);
    if (size > max) {
      throw new KernelFormatException(Reason.TOO_LARGE,
          file.getFileName() + " is " + size + " bytes, at most " + max + " accepted");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] data = in.readNBytes((int) max);
      if (in.read() >= 0) {
        throw new KernelFormatException(Reason.TOO_LARGE,
            file.getFileName() + " grew past " + max + " bytes while being read");
      }
      return data;
    }
  }
}
