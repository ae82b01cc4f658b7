package dev.carapace.runtime.kvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import dev.carapace.runtime.memory.GuestMemory;
import java.util.Objects;

/**
 * Guest memory backed by an anonymous private mapping
 * ({@code mmap(MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE)}): pages cost nothing until the guest or
 * the VMM touches them, so an idle VM's resident size is the handful of pages it used.
 *
 * <p>Thread-safety: reads and writes are plain memory copies and may run from any thread; a guest
 * running on a vCPU may change memory concurrently. {@link #close()} unmaps the range; it must not
 * race with reads or writes (the VM closes memory only after its vCPU threads and device work have
 * stopped), and accesses after close fail with {@link IllegalStateException}.
 */
public final class MappedGuestMemory implements GuestMemory, AutoCloseable {
  private final long address;
  private final long size;
  private final Pointer base;
  private volatile boolean closed;

  private MappedGuestMemory(long address, long size) {
    this.address = address;
    this.size = size;
    this.base = new Pointer(address);
  }

  /** Maps {@code size} bytes (a positive multiple of 4 KiB) of zeroed, lazily allocated memory. */
  public static MappedGuestMemory allocate(long size) throws KvmException {
    if (size <= 0 || (size & 0xfff) != 0) {
      throw new IllegalArgumentException("size must be a positive multiple of 4096, got " + size);
    }
    long addr;
    try {
      addr = LibC.mmap(0, size, LibC.PROT_READ | LibC.PROT_WRITE,
          LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_NORESERVE, -1, 0);
    } catch (LastErrorException e) {
      throw KvmException.callFailed("mmap", e.getErrorCode());
    }
    if (addr == LibC.MAP_FAILED) {
      throw KvmException.callFailed("mmap", 0);
    }
    return new MappedGuestMemory(addr, size);
  }

  /** Host virtual address of guest physical address 0 (for the memory slot). */
  long hostAddress() {
    return address;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void write(long guestAddress, byte[] source, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, source.length);
    check(guestAddress, length);
    base.write(guestAddress, source, offset, length);
  }

  @Override
  public void read(long guestAddress, byte[] target, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, target.length);
    check(guestAddress, length);
    base.read(guestAddress, target, offset, length);
  }

  /** Reads a little-endian 32-bit value. */
  public int readInt(long guestAddress) {
    check(guestAddress, 4);
    return base.getInt(guestAddress);
  }

  /** Writes a little-endian 32-bit value. */
  public void writeInt(long guestAddress, int value) {
    check(guestAddress, 4);
    base.setInt(guestAddress, value);
  }

  private void check(long guestAddress, long length) {
    if (closed) {
      throw new IllegalStateException("guest memory is unmapped");
    }
    Objects.checkFromIndexSize(guestAddress, length, size);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      LibC.munmap(address, size);
    } catch (LastErrorException e) {
      throw new IllegalStateException("munmap failed: errno " + e.getErrorCode(), e);
    }
  }
}
