package dev.carapace.runtime.kernel;

import dev.carapace.runtime.kernel.KernelFormatException.Reason;
import io.airlift.compress.lz4.Lz4Decompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.SingleXZInputStream;

/**
 * Recovers the vmlinux ELF from a bzImage's compressed payload: gzip, xz (with the x86 BCJ filter
 * the kernel build uses), LZ4 legacy frames and zstd; bzip2, LZMA and LZO are rejected with
 * {@link Reason#UNSUPPORTED_COMPRESSION}.
 *
 * <p>With a boot protocol 2.08+ header the payload is located by {@code payload_offset} and
 * {@code payload_length}; its last four bytes are the uncompressed size (the kernel build appends
 * it, and for gzip it is the member's ISIZE), and the output must have exactly that size. Without
 * them the protected-mode kernel is searched for compression magic, as Linux's
 * {@code scripts/extract-vmlinux} does, and the first candidate that decompresses to an ELF wins.
 * Output is bounded by a maximum (default {@link KernelImage#MAX_SIZE}).
 *
 * <p>Thread-safe: instances hold only their limit.
 */
public final class VmlinuxExtractor {
  /** Receives the number of bytes produced so far, every few MiB of output. */
  @FunctionalInterface
  public interface Progress {
    /** Progress that reports nothing. */
    Progress NONE = produced -> {};

    void produced(long bytes);
  }

  /** Size of an LZ4 legacy block before compression (lz4 -l, Linux decompress_unlz4.c). */
  static final int LZ4_LEGACY_BLOCK = 8 << 20;
  static final long LZ4_LEGACY_MAGIC = 0x184C2102L;
  private static final int LZ4_MAX_COMPRESSED_BLOCK = LZ4_LEGACY_BLOCK + LZ4_LEGACY_BLOCK / 255 + 16;
  private static final int XZ_MEMORY_LIMIT_KIB = 256 * 1024;
  private static final int MAX_SCAN_CANDIDATES = 64;

  private final long maxOutput;

  /** An extractor that refuses payloads decompressing to more than {@link KernelImage#MAX_SIZE}. */
  public VmlinuxExtractor() {
    this(KernelImage.MAX_SIZE);
  }

  /** An extractor that refuses payloads decompressing to more than {@code maxOutput} bytes. */
  public VmlinuxExtractor(long maxOutput) {
    if (maxOutput <= 0 || maxOutput > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxOutput out of range: " + maxOutput);
    }
    this.maxOutput = maxOutput;
  }

  /** What was extracted and how it was compressed. */
  public record Extraction(Compression compression, ElfKernel vmlinux) {}

  /** Extracts the vmlinux from {@code image}. */
  public Extraction extract(BzImage image, Progress progress) throws KernelFormatException {
    SetupHeader h = image.header();
    byte[] raw = image.rawImage();
    int pm = image.protectedModeOffset();
    if (h.payloadLength() > 0) {
      int start = pm + (int) h.payloadOffset();
      return extractPayload(raw, start, (int) h.payloadLength(), progress);
    }
    return scan(raw, pm, image.protectedModeSize(), progress);
  }

  /**
   * Extracts by searching for compression magic even when the header locates the payload: the
   * {@code scripts/extract-vmlinux} method, kept for cross-checking.
   */
  Extraction extractByScan(BzImage image, Progress progress) throws KernelFormatException {
    return scan(image.rawImage(), image.protectedModeOffset(), image.protectedModeSize(),
        progress);
  }

  private Extraction extractPayload(byte[] raw, int start, int length, Progress progress)
      throws KernelFormatException {
    Compression c = Compression.detect(raw, start).orElseThrow(() -> new KernelFormatException(
        Reason.UNSUPPORTED_COMPRESSION, "payload starts with unknown magic "
            + hex(raw, start, Math.min(6, length))));
    if (!c.isSupported()) {
      throw new KernelFormatException(Reason.UNSUPPORTED_COMPRESSION,
          "payload is " + c + " compressed; supported: gzip, xz, lz4 (legacy), zstd");
    }
    if (length < 8) {
      throw new KernelFormatException(Reason.CORRUPT_PAYLOAD, "payload of " + length + " bytes");
    }
    long expected = LittleEndian.u32(raw, start + length - 4);
    if (expected > maxOutput) {
      throw new KernelFormatException(Reason.PAYLOAD_TOO_LARGE, "payload declares "
          + expected + " uncompressed bytes, at most " + maxOutput + " allowed");
    }
    // gzip ends in its own ISIZE; the other formats are followed by the appended size.
    int body = c == Compression.GZIP ? length : length - 4;
    Output out = new Output(expected, true, progress);
    try {
      decode(c, raw, start, body, out);
    } catch (IOException | RuntimeException e) {
      // Third-party decoders signal bad input with assorted unchecked exceptions.
      throw new KernelFormatException(Reason.CORRUPT_PAYLOAD,
          c + " payload does not decode: " + e.getMessage(), e);
    }
    if (out.length != expected) {
      throw new KernelFormatException(Reason.CORRUPT_PAYLOAD, c + " payload decodes to "
          + out.length + " bytes, its trailer says " + expected);
    }
    return new Extraction(c, toElf(out));
  }

  private Extraction scan(byte[] raw, int from, int size, Progress progress)
      throws KernelFormatException {
    int end = from + size;
    int candidates = 0;
    KernelFormatException last = null;
    for (int at = from; at < end && candidates < MAX_SCAN_CANDIDATES; at++) {
      Compression c = Compression.detect(raw, at).orElse(null);
      if (c == null || !c.isSupported()) {
        continue;
      }
      candidates++;
      Output out = new Output(maxOutput, false, progress);
      try {
        decode(c, raw, at, end - at, out);
      } catch (IOException | RuntimeException e) {
        // Like extract-vmlinux: trailing data after the stream may upset the decoder; what was
        // produced counts if it is an ELF.
      }
      try {
        return new Extraction(c, toElf(out));
      } catch (KernelFormatException e) {
        last = e;
      }
    }
    throw new KernelFormatException(Reason.NO_PAYLOAD, "no payload_offset in the header and no"
        + " compressed vmlinux found by magic (" + candidates + " candidates tried)"
        + (last == null ? "" : "; last: " + last.getMessage()));
  }

  private void decode(Compression c, byte[] raw, int start, int length, Output out)
      throws IOException, KernelFormatException {
    switch (c) {
      case GZIP -> copy(new GZIPInputStream(new ByteArrayInputStream(raw, start, length)), out);
      case XZ -> copy(new SingleXZInputStream(new ByteArrayInputStream(raw, start, length),
          XZ_MEMORY_LIMIT_KIB), out);
      case ZSTD -> zstd(raw, start, length, out);
      case LZ4_LEGACY -> lz4Legacy(raw, start, length, out);
      default -> throw new KernelFormatException(Reason.UNSUPPORTED_COMPRESSION, c.name());
    }
  }

  /** zstd in one shot (see {@link ZstdFrames}) into a buffer of the known output size. */
  private static void zstd(byte[] raw, int start, int length, Output out)
      throws IOException, KernelFormatException {
    long size = out.exact ? out.limit : ZstdFrames.contentSize(raw, start, length);
    if (size < 0) {
      throw new IOException("zstd frame without content size and no payload trailer");
    }
    if (size > out.limit) {
      throw new KernelFormatException(Reason.PAYLOAD_TOO_LARGE,
          "zstd frame declares " + size + " bytes, at most " + out.limit + " allowed");
    }
    byte[] target = new byte[(int) size];
    try {
      int n = ZstdFrames.decode(raw, start, length, target);
      out.write(target, n);
    } catch (IOException | RuntimeException e) {
      // Keep what was decoded (the scan accepts it if it is an ELF) and report the failure.
      if (!out.exact) {
        out.write(target, target.length);
      }
      throw e;
    }
  }

  private static void copy(InputStream in, Output out) throws IOException, KernelFormatException {
    try (in) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, n);
      }
    }
  }

  /**
   * LZ4 legacy frame: magic, then blocks of {@code [u32 le compressed size][LZ4 block]}, each
   * decoding to at most 8 MiB. A repeated magic starts a concatenated frame. Ends at the end of
   * the input or at a size word that cannot be a block (the kernel's appended length).
   */
  private static void lz4Legacy(byte[] raw, int start, int length, Output out)
      throws IOException, KernelFormatException {
    Lz4Decompressor lz4 = new Lz4Decompressor();
    byte[] block = new byte[LZ4_LEGACY_BLOCK];
    int at = start + 4;
    int end = start + length;
    while (end - at >= 4) {
      long size = LittleEndian.u32(raw, at);
      at += 4;
      if (size == LZ4_LEGACY_MAGIC) {
        continue;
      }
      if (size == 0 || size > LZ4_MAX_COMPRESSED_BLOCK) {
        throw new IOException("LZ4 block size " + size + " at offset " + (at - 4 - start));
      }
      if (size > end - at) {
        throw new IOException("LZ4 block of " + size + " bytes at offset " + (at - 4 - start)
            + " is truncated (" + (end - at) + " left)");
      }
      int n = lz4.decompress(raw, at, (int) size, block, 0, block.length);
      out.write(block, n);
      at += (int) size;
    }
    if (at != end) {
      throw new IOException((end - at) + " stray bytes after the last LZ4 block");
    }
  }

  private static ElfKernel toElf(Output out) throws KernelFormatException {
    byte[] data = out.length == out.buffer.length ? out.buffer
        : Arrays.copyOf(out.buffer, out.length);
    try {
      return ElfKernel.parseOwned(data);
    } catch (KernelFormatException e) {
      throw new KernelFormatException(Reason.PAYLOAD_NOT_ELF,
          "payload is not a vmlinux: " + e.getMessage(), e);
    }
  }

  private static String hex(byte[] b, int at, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n && at + i < b.length; i++) {
      s.append(String.format("%02x", b[at + i]));
    }
    return s.toString();
  }

  /** Growable output with a hard limit and progress reports every 8 MiB. */
  private static final class Output {
    private static final long REPORT_EVERY = 8 << 20;
    private final long limit;
    private final boolean exact;
    private final Progress progress;
    byte[] buffer;
    int length;
    private long nextReport = REPORT_EVERY;

    /** {@code exact}: the output must be {@code limit} bytes (so the buffer is sized once). */
    Output(long limit, boolean exact, Progress progress) {
      this.limit = limit;
      this.exact = exact;
      this.progress = progress;
      this.buffer = new byte[(int) (exact ? limit : Math.min(limit, 16 << 20))];
    }

    void write(byte[] src, int n) throws KernelFormatException {
      if (n > limit - length) {
        throw exact
            ? new KernelFormatException(Reason.CORRUPT_PAYLOAD,
                "payload decodes to more than the " + limit + " bytes its trailer says")
            : new KernelFormatException(Reason.PAYLOAD_TOO_LARGE,
                "payload decompresses to more than " + limit + " bytes");
      }
      if (n > buffer.length - length) {
        long grown = Math.max((long) length + n, Math.min(limit, (long) buffer.length * 2));
        buffer = Arrays.copyOf(buffer, (int) grown);
      }
      System.arraycopy(src, 0, buffer, length, n);
      length += n;
      if (length >= nextReport) {
        progress.produced(length);
        nextReport = (length / REPORT_EVERY + 1) * REPORT_EVERY;
      }
    }
  }
}
