package dev.carapace.runtime.memory;

/**
 * Guest memory held in Java heap arrays, allocated up front and zero-filled: what a VM's RAM looks
 * like before anything is loaded. For tests and offline tools that need to see the whole range;
 * the KVM-backed memory lives in package {@code kvm}.
 *
 * <p>Not thread-safe: confine an instance to one thread or synchronise externally.
 */
public final class HeapGuestMemory implements GuestMemory {
  private static final int CHUNK_SHIFT = 26; // 64 MiB per array, so sizes above 2 GiB work
  private static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;

  private final long size;
  private final byte[][] chunks;

  /**
   * Allocates {@code size} zero bytes.
   *
   * @throws IllegalArgumentException if {@code size} is negative
   */
  public HeapGuestMemory(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, got " + size);
    }
    this.size = size;
    int n = (int) ((size + CHUNK_SIZE - 1) >>> CHUNK_SHIFT);
    chunks = new byte[n][];
    for (int i = 0; i < n; i++) {
      long remaining = size - ((long) i << CHUNK_SHIFT);
      chunks[i] = new byte[(int) Math.min(CHUNK_SIZE, remaining)];
    }
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void write(long guestAddress, byte[] source, int offset, int length) {
    GuestRanges.check(guestAddress, length, size, source.length, offset);
    long address = guestAddress;
    int done = 0;
    while (done < length) {
      byte[] chunk = chunks[(int) (address >>> CHUNK_SHIFT)];
      int at = (int) (address & (CHUNK_SIZE - 1));
      int n = Math.min(length - done, chunk.length - at);
      System.arraycopy(source, offset + done, chunk, at, n);
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
      byte[] chunk = chunks[(int) (address >>> CHUNK_SHIFT)];
      int at = (int) (address & (CHUNK_SIZE - 1));
      int n = Math.min(length - done, chunk.length - at);
      System.arraycopy(chunk, at, target, offset + done, n);
      done += n;
      address += n;
    }
  }
}
