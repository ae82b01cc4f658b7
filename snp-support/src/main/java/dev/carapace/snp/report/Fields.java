package dev.carapace.snp.report;


/** Range and size checks shared by the value records' compact constructors (programmer errors). */
final class Fields {
  private Fields() {}

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
