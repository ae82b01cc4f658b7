package dev.carapace.runtime.memory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Guest memory that only stores the 4 KiB pages written to; every other byte reads as zero, as
 * fresh VM memory does. Lets offline tools lay out a guest of many GiB (to compute its launch
 * measurement, say) while holding only the few MiB the boot loader writes.
 *
 * <p>Not thread-safe: confine an instance to one thread or synchronise externally.
 */
public final class SparseGuestMemory implements GuestMemory {
  /** Granularity of storage in bytes. */
  public static final int PAGE_SIZE = 4096;
  private static final int PAGE_SHIFT = 12;

  private final long size;
  private final Map<Long, byte[]> pages = new HashMap<>();

  /**
   * A guest memory of {@code size} bytes, all zero; nothing is allocated until written.
   *
   * @throws IllegalArgumentException if {@code size} is negative
   */
  public SparseGuestMemory(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, got " + size);
    }
    this.size = size;
  }

  @Override
  public long size() {
    return size;
  }

  /** Number of pages holding data (the memory cost is about this times {@link #PAGE_SIZE}). */
  public int storedPages() {
    return pages.size();
  }

  @Override
  public void write(long guestAddress, byte[] source, int offset, int length) {
    GuestRanges.check(guestAddress, length, size, source.length, offset);
    long address = guestAddress;
    int done = 0;
    while (done < length) {
      int at = (int) (address & (PAGE_SIZE - 1));
      int n = Math.min(length - done, PAGE_SIZE - at);
      byte[] page = pages.computeIfAbsent(address >>> PAGE_SHIFT, k -> new byte[PAGE_SIZE]);
      System.arraycopy(source, offset + done, page, at, n);
      done += n;
      address += n;
    }
  }

  @Override
  public void read(long guestAddress, byte[] target, int offset, int length) {
    GuestRanges.check(guestAddress, length, size, target.length, offset);
    long address = guestAddress;
    int done = 0;
    while (done < length) {
      int at = (int) (address & (PAGE_SIZE - 1));
      int n = Math.min(length - done, PAGE_SIZE - at);
      byte[] page = pages.get(address >>> PAGE_SHIFT);
      if (page == null) {
        Arrays.fill(target, offset + done, offset + done + n, (byte) 0);
      } else {
        System.arraycopy(page, at, target, offset + done, n);
      }
      done += n;
      address += n;
    }
  }
}
