package dev.carapace.tdx.quote;

import dev.carapace.attestation.model.Bytes;

/** Range checks shared by the value records' compact constructors (programmer errors). */
final class Fields {
  private Fields() {}

  static int u16(int value, String name) {
    if (value < 0 || value > 0xffff) {
      throw new IllegalArgumentException(name + " must fit in 16 bits, got " + value);
    }
    return value;
  }

  static long u32(long value, String name) {
    if (value < 0 || value > 0xffff_ffffL) {
      throw new IllegalArgumentException(name + " must fit in 32 bits, got " + value);
    }
    return value;
  }

  static long le64(Bytes eightBytes) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | eightBytes.getUnsigned(i);
    }
    return v;
  }
}
