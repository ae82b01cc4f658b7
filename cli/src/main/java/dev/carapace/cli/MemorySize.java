package dev.carapace.cli;

import java.util.Locale;

/** The {@code --memory} option of measure, vm run and runtime create, parsed one way. */
final class MemorySize {
  static final long MAX_MEMORY = 1L << 40;

  private MemorySize() {}

  /** Bytes from "268435456", "256M", "4G", "512k"; positive, page-aligned, at most 1 TiB. */
  static long parse(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
      unit = switch (t.charAt(t.length() - 1)) {
        case 'K' -> 1L << 10;
        case 'M' -> 1L << 20;
        default -> 1L << 30;
      };
      t = t.substring(0, t.length() - 1);
    }
    long value;
    try {
      value = Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--memory " + text + " is not a size like 256M");
    }
    if (value <= 0 || value > MAX_MEMORY / unit) {
      throw new IllegalArgumentException("--memory must be between 1 byte and 1T, got " + text);
    }
    long bytes = value * unit;
    if (bytes % 4096 != 0) {
      throw new IllegalArgumentException("--memory must be a multiple of 4K, got " + text);
    }
    return bytes;
  }
}
