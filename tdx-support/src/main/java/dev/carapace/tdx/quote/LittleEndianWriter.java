package dev.carapace.tdx.quote;

import dev.carapace.attestation.model.Bytes;
import java.io.ByteArrayOutputStream;

/** Growable little-endian byte sink used by the encoders. */
final class LittleEndianWriter {
  private final ByteArrayOutputStream out;

  LittleEndianWriter(int expectedSize) {
    out = new ByteArrayOutputStream(expectedSize);
  }

  LittleEndianWriter bytes(Bytes b) {
    byte[] raw = b.toByteArray();
    out.write(raw, 0, raw.length);
    return this;
  }

  LittleEndianWriter bytes(byte[] raw) {
    out.write(raw, 0, raw.length);
    return this;
  }

  LittleEndianWriter u16(int v) {
    out.write(v & 0xff);
    out.write((v >>> 8) & 0xff);
    return this;
  }

  LittleEndianWriter u32(long v) {
    for (int i = 0; i < 4; i++) {
      out.write((int) (v >>> (8 * i)) & 0xff);
    }
    return this;
  }

  int size() {
    return out.size();
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
