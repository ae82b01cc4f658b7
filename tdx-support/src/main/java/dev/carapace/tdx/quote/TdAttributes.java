package dev.carapace.tdx.quote;

/**
 * TD attributes (TDX module ABI), decoded from the little-endian u64 in the quote body.
 *
 * @param value the raw 64-bit value
 */
public record TdAttributes(long value) {
  public static final long DEBUG = 1L;
  public static final long SEPT_VE_DISABLE = 1L << 28;
  public static final long PKS = 1L << 30;
  public static final long KEY_LOCKER = 1L << 31;
  public static final long PERFMON = 1L << 63;

  public boolean debug() {
    return (value & DEBUG) != 0;
  }

  public boolean septVeDisable() {
    return (value & SEPT_VE_DISABLE) != 0;
  }

  public boolean protectionKeys() {
    return (value & PKS) != 0;
  }

  public boolean keyLocker() {
    return (value & KEY_LOCKER) != 0;
  }

  public boolean perfmon() {
    return (value & PERFMON) != 0;
  }
}
