package dev.carapace.runtime.kernel;

import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.IOException;

/**
 * One-shot zstd decoding of kernel payloads with aircompressor's pure-Java decoder.
 *
 * <p>The kernel build compresses from a pipe ({@code zstd -22 --ultra}), so its frame declares
 * the level's 128 MiB window and no content size. aircompressor refuses windows above 8 MiB
 * ({@code ZstdFrameDecompressor.MAX_WINDOW_SIZE}) because its streaming decoder keeps only that
 * much history. Decoding in one shot into a buffer of the whole output needs no separate history:
 * every match refers to bytes already in the output buffer, so the declared window only bounds
 * what the encoder used. This class therefore decodes a copy of the frame whose window descriptor
 * is lowered to 8 MiB into a buffer sized from the payload trailer. Matches are still checked
 * against the output start, and the frame's XXH64 content checksum (set by the zstd tool's
 * default) is verified, so a frame this trick cannot handle fails loudly rather than decoding
 * wrongly.
 */
final class ZstdFrames {
  private static final int MAGIC = 0xFD2FB528;
  /** Window descriptor for 2^23 bytes: exponent 23 - 10, mantissa 0. */
  private static final byte WINDOW_8_MIB = (byte) ((23 - 10) << 3);
  private static final long MAX_SUPPORTED_WINDOW = 1L << 23;

  private ZstdFrames() {}

  /** The frame content size declared at {@code start}, or -1 if the header has none. */
  static long contentSize(byte[] b, int start, int length) throws IOException {
    Header h = header(b, start, length);
    return h.contentSize;
  }

  /**
   * Decodes the zstd data in {@code b[start, start+length)} into {@code output}, which must be
   * large enough for all of it, and returns how many bytes were produced.
   */
  static int decode(byte[] b, int start, int length, byte[] output) throws IOException {
    Header h = header(b, start, length);
    byte[] frame = new byte[length];
    System.arraycopy(b, start, frame, 0, length);
    if (h.windowDescriptorAt >= 0) {
      if (windowSize(frame[h.windowDescriptorAt]) > MAX_SUPPORTED_WINDOW) {
        frame[h.windowDescriptorAt] = WINDOW_8_MIB;
      }
    } else if (h.contentSize > MAX_SUPPORTED_WINDOW) {
      throw new IOException("single-segment zstd frame of " + h.contentSize
          + " bytes: its window cannot be lowered for the decoder");
    }
    return new ZstdDecompressor().decompress(frame, 0, length, output, 0, output.length);
  }

  private record Header(int windowDescriptorAt, long contentSize) {}

  private static Header header(byte[] b, int start, int length) throws IOException {
    if (length < 6 || (int) LittleEndian.u32(b, start) != MAGIC) {
      throw new IOException("no zstd frame magic");
    }
    int descriptor = b[start + 4] & 0xff;
    boolean singleSegment = (descriptor & 0x20) != 0;
    int fcsFlag = descriptor >>> 6;
    int dictIdSize = new int[] {0, 1, 2, 4}[descriptor & 3];
    int at = 5;
    int windowAt = -1;
    if (!singleSegment) {
      windowAt = at;
      at++;
    }
    at += dictIdSize;
    int fcsSize = fcsFlag == 0 ? (singleSegment ? 1 : 0) : 1 << fcsFlag;
    if (at + fcsSize > length) {
      throw new IOException("zstd frame header truncated");
    }
    long fcs = -1;
    if (fcsSize > 0) {
      fcs = 0;
      for (int i = 0; i < fcsSize; i++) {
        fcs |= (b[start + at + i] & 0xffL) << (8 * i);
      }
      if (fcsSize == 2) {
        fcs += 256;
      }
    }
    return new Header(windowAt, fcs);
  }

  private static long windowSize(byte descriptor) {
    int exponent = (descriptor & 0xff) >>> 3;
    int mantissa = descriptor & 7;
    long base = 1L << (10 + exponent);
    return base + (base / 8) * mantissa;
  }
}
