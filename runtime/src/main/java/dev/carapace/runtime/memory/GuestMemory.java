package dev.carapace.runtime.memory;

/**
 * Guest physical memory as the VMM sees it: one contiguous range starting at guest physical
 * address 0. Implementations: the KVM-backed mapping (package {@code kvm}) and heap or sparse
 * memories for offline use (measurement, tests).
 *
 * <p>Accesses outside {@code [0, size())} throw {@link IndexOutOfBoundsException}: callers lay out
 * guest memory before writing, so an out-of-range access is a programming error. Implementations
 * say whether they are thread-safe; none of the boot code needs concurrent access.
 */
public interface GuestMemory {
  /** Size in bytes. */
  long size();

  /** Copies {@code length} bytes of {@code source} from {@code offset} to {@code guestAddress}. */
  void write(long guestAddress, byte[] source, int offset, int length);

  /** Copies {@code length} bytes at {@code guestAddress} into {@code target} at {@code offset}. */
  void read(long guestAddress, byte[] target, int offset, int length);

  default void write(long guestAddress, byte[] source) {
    write(guestAddress, source, 0, source.length);
  }

  default byte[] read(long guestAddress, int length) {
    byte[] out = new byte[length];
    read(guestAddress, out, 0, length);
    return out;
  }
}
