package dev.carapace.tdx.eventlog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds synthetic TCG2 crypto-agile logs for edge-case tests. */
final class LogBuilder {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Starts a log whose Spec ID event lists {@code algs} as (id, size) pairs. */
  static LogBuilder withAlgorithms(int... idSizePairs) {
    LogBuilder b = new LogBuilder();
    ByteArrayOutputStream spec = new ByteArrayOutputStream();
    spec.writeBytes("Spec ID Event03\0".getBytes(StandardCharsets.US_ASCII));
    u32(spec, 0);
    spec.writeBytes(new byte[] {0, 2, 0, 2});
    u32(spec, idSizePairs.length / 2);
    for (int i = 0; i < idSizePairs.length; i += 2) {
      u16(spec, idSizePairs[i]);
      u16(spec, idSizePairs[i + 1]);
    }
    spec.write(0);
    u32(b.out, 0);
    u32(b.out, 3);
    b.out.writeBytes(new byte[20]);
    u32(b.out, spec.size());
    b.out.writeBytes(spec.toByteArray());
    return b;
  }

  /** A SHA-384-only log. */
  static LogBuilder sha384() {
    return withAlgorithms(0x000C, 48);
  }

  /** Appends an event with one digest per (algId, fill byte) pair. */
  LogBuilder event(long mrIndex, long type, byte[] data, int... algFillPairs) {
    u32(out, mrIndex);
    u32(out, type);
    u32(out, algFillPairs.length / 2);
    for (int i = 0; i < algFillPairs.length; i += 2) {
      int id = algFillPairs[i];
      u16(out, id);
      byte[] digest = new byte[DigestAlgorithm.standardDigestSize(id).orElse(48)];
      java.util.Arrays.fill(digest, (byte) algFillPairs[i + 1]);
      out.writeBytes(digest);
    }
    u32(out, data.length);
    out.writeBytes(data);
    return this;
  }

  LogBuilder raw(byte... bytes) {
    out.writeBytes(bytes);
    return this;
  }

  LogBuilder u32(long v) {
    u32(out, v);
    return this;
  }

  LogBuilder u16(int v) {
    u16(out, v);
    return this;
  }

  int size() {
    return out.size();
  }

  byte[] build() {
    return out.toByteArray();
  }

  private static void u16(ByteArrayOutputStream o, int v) {
    o.write(v);
    o.write(v >>> 8);
  }

  private static void u32(ByteArrayOutputStream o, long v) {
    for (int i = 0; i < 4; i++) {
      o.write((int) (v >>> (8 * i)));
    }
  }
}
