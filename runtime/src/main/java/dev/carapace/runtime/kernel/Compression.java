package dev.carapace.runtime.kernel;

import java.util.Optional;

/**
 * The compressions a bzImage payload may use, with the leading magic bytes Linux's
 * {@code scripts/extract-vmlinux} searches for. Only {@link #isSupported() supported} ones are
 * decoded; the others are recognised so that they can be rejected by name.
 */
public enum Compression {
  GZIP(true, 0x1f, 0x8b, 0x08),
  XZ(true, 0xfd, '7', 'z', 'X', 'Z', 0x00),
  /** LZ4 legacy frame, as {@code lz4 -l} writes it: magic 0x184C2102, then 8 MiB blocks. */
  LZ4_LEGACY(true, 0x02, 0x21, 0x4c, 0x18),
  ZSTD(true, 0x28, 0xb5, 0x2f, 0xfd),
  BZIP2(false, 'B', 'Z', 'h'),
  LZMA(false, 0x5d, 0x00, 0x00, 0x00),
  LZO(false, 0x89, 'L', 'Z', 'O');

  private final boolean supported;
  private final byte[] magic;

  Compression(boolean supported, int... magic) {
    this.supported = supported;
    this.magic = new byte[magic.length];
    for (int i = 0; i < magic.length; i++) {
      this.magic[i] = (byte) magic[i];
    }
  }

  /** Whether this package can decompress it. */
  public boolean isSupported() {
    return supported;
  }

  /** Whether {@code data} has this compression's magic at {@code offset}. */
  public boolean matches(byte[] data, int offset) {
    if (offset < 0 || offset > data.length - magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (data[offset + i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /** The compression whose magic is at {@code offset}, if any. */
  public static Optional<Compression> detect(byte[] data, int offset) {
    for (Compression c : values()) {
      if (c.matches(data, offset)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
