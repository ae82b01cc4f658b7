package dev.carapace.cli;

import dev.carapace.attestation.model.Bytes;

/** Parses hex option values; failures are {@link IllegalArgumentException}s naming the option. */
final class HexArgs {
  private HexArgs() {}

  static Bytes exactly(String value, int size, String option) {
    Bytes b = parse(value, option);
    if (b.size() != size) {
      throw new IllegalArgumentException(option + " must be " + size + " bytes, got " + b.size());
    }
    return b;
  }

  /** At most {@code size} bytes, zero-padded on the right to {@code size}. */
  static Bytes padded(String value, int size, String option) {
    Bytes b = parse(value, option);
    if (b.size() > size) {
      throw new IllegalArgumentException(option + " must be at most " + size + " bytes");
    }
    byte[] out = new byte[size];
    b.copyTo(out, 0);
    return Bytes.copyOf(out);
  }

  private static Bytes parse(String value, String option) {
    try {
      return Bytes.fromHex(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " is not hex");
    }
  }
}
