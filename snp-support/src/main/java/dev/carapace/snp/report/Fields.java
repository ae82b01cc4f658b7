package dev.carapace.snp.report;

import dev.carapace.attestation.model.Bytes;
import java.util.Objects;

/** Range and size checks shared by the value records' compact constructors (programmer errors). */
final class Fields {
  private Fields() {}

  static Bytes exactly(Bytes value, int size, String name) {
    Objects.requireNonNull(value, name);
    if (value.size() != size) {
      throw new IllegalArgumentException(name + " must be " + size + " bytes, got " + value.size());
    }
    return value;
  }

  static int u8(int value, String name) {
    if (value < 0 || value > 0xff) {
      throw new IllegalArgumentException(name + " must fit in 8 bits, got " + value);
    }
    return value;
  }

  static long u32(long value, String name) {
    if (value < 0 || value > 0xffff_ffffL) {
      throw new IllegalArgumentException(name + " must fit in 32 bits, got " + value);
    }
    return value;
  }
}
