package dev.carapace.runtime.devices;

/**
 * A device reachable through a {@link Bus}: port I/O or MMIO accesses of 1, 2, 4 or 8 bytes at an
 * offset from the device's base. Values are little-endian and zero-extended.
 *
 * <p>Called on vCPU threads, one call per guest access; implementations return quickly and never
 * block (hand slow work to another thread) and are safe for concurrent calls from several vCPUs.
 */
public interface BusDevice {
  /** The value the guest reads at {@code offset}; all ones for "nothing here". */
  long read(long offset, int size);

  /** The guest wrote {@code value} ({@code size} bytes) at {@code offset}. */
  void write(long offset, int size, long value);

  /** All ones in the low {@code size} bytes: what an absent register reads as. */
  static long allOnes(int size) {
    return size >= 8 ? -1L : (1L << (size * 8)) - 1;
  }
}
