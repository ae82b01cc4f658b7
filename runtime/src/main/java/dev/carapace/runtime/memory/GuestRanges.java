package dev.carapace.runtime.memory;

/** Bounds checks shared by the in-memory {@link GuestMemory} implementations. */
final class GuestRanges {
  private GuestRanges() {}

  /**
   * Checks that {@code [guestAddress, guestAddress + length)} lies in {@code [0, memorySize)} and
   * {@code [offset, offset + length)} in an array of {@code arrayLength} bytes.
   */
  static void check(long guestAddress, int length, long memorySize, int arrayLength, int offset) {
    if (offset < 0 || length < 0 || offset > arrayLength - length) {
      throw new IndexOutOfBoundsException("array range [" + offset + ", +" + length
          + ") outside an array of " + arrayLength + " bytes");
    }
    if (guestAddress < 0 || guestAddress > memorySize - length) {
      throw new IndexOutOfBoundsException("guest range [0x" + Long.toHexString(guestAddress)
          + ", +" + length + ") outside guest memory of 0x" + Long.toHexString(memorySize)
          + " bytes");
    }
  }
}
