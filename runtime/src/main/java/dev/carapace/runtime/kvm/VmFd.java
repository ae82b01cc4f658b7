package dev.carapace.runtime.kvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * A KVM virtual machine ({@code KVM_CREATE_VM}). Creates vCPUs, memory slots and the in-kernel
 * interrupt controllers, and raises interrupt lines.
 *
 * <p>Thread-safety: setup calls ({@code set*}, {@code create*}) belong to the thread building the
 * VM; {@link #irqLine} may be called from any thread (KVM serializes it). {@link #close()} must
 * come after all vCPUs created from this VM are closed.
 */
public final class VmFd implements AutoCloseable {
  /** {@code KVM_PIT_SPEAKER_DUMMY}: port 0x61 is handled in the kernel. */
  public static final int PIT_SPEAKER_DUMMY = 1;
  /** {@code KVM_MEM_GUEST_MEMFD} memory-slot flag. */
  public static final int MEM_GUEST_MEMFD = 1 << 2;
  /** {@code KVM_MEMORY_ATTRIBUTE_PRIVATE}. */
  public static final long MEMORY_ATTRIBUTE_PRIVATE = 1L << 3;

  private final FileHandle fd;
  private final int vcpuMmapSize;

  VmFd(FileHandle fd, int vcpuMmapSize) {
    this.fd = fd;
    this.vcpuMmapSize = vcpuMmapSize;
  }

  /** {@code KVM_SET_TSS_ADDR}: three pages the VMX real-mode emulation needs. */
  public void setTssAddress(long address) throws KvmException {
    fd.ioctl("KVM_SET_TSS_ADDR", Ioctls.KVM_SET_TSS_ADDR, address);
  }

  /** {@code KVM_SET_IDENTITY_MAP_ADDR}: one page for the EPT identity map (before vCPUs exist). */
  public void setIdentityMapAddress(long address) throws KvmException {
    try (Memory m = new Memory(8)) {
      m.setLong(0, address);
      fd.ioctl("KVM_SET_IDENTITY_MAP_ADDR", Ioctls.KVM_SET_IDENTITY_MAP_ADDR, m);
    }
  }

  /** {@code KVM_CREATE_IRQCHIP}: in-kernel PIC, IOAPIC and per-vCPU LAPICs. */
  public void createIrqchip() throws KvmException {
    fd.ioctl("KVM_CREATE_IRQCHIP", Ioctls.KVM_CREATE_IRQCHIP, 0);
  }

  /** {@code KVM_CREATE_PIT2} with the given flags (usually {@link #PIT_SPEAKER_DUMMY}). */
  public void createPit2(int flags) throws KvmException {
    try (Memory m = new Memory(KvmStructs.PIT_CONFIG_SIZE)) {
      m.clear();
      m.setInt(KvmStructs.PIT_CONFIG_FLAGS, flags);
      fd.ioctl("KVM_CREATE_PIT2", Ioctls.KVM_CREATE_PIT2, m);
    }
  }

  /** {@code KVM_SET_USER_MEMORY_REGION}: maps {@code memory} at guest physical {@code guestAddress}. */
  public void setUserMemoryRegion(int slot, long guestAddress, MappedGuestMemory memory)
      throws KvmException {
    try (Memory m = new Memory(KvmStructs.MEMORY_REGION_SIZE)) {
      encodeMemoryRegion(m, slot, 0, guestAddress, memory.size(), memory.hostAddress());
      fd.ioctl("KVM_SET_USER_MEMORY_REGION", Ioctls.KVM_SET_USER_MEMORY_REGION, m);
    }
  }

  static void encodeMemoryRegion(Pointer m, int slot, int flags, long guestAddress, long size,
      long hostAddress) {
    m.setInt(KvmStructs.MEMORY_REGION_SLOT, slot);
    m.setInt(KvmStructs.MEMORY_REGION_FLAGS, flags);
    m.setLong(KvmStructs.MEMORY_REGION_GUEST_PHYS_ADDR, guestAddress);
    m.setLong(KvmStructs.MEMORY_REGION_MEMORY_SIZE, size);
    m.setLong(KvmStructs.MEMORY_REGION_USERSPACE_ADDR, hostAddress);
  }

  /**
   * {@code KVM_SET_USER_MEMORY_REGION2} (Linux 6.8+, {@code KVM_CAP_USER_MEMORY2}): as
   * {@link #setUserMemoryRegion} with private memory from a guest_memfd at {@code memfdOffset}.
   */
  public void setUserMemoryRegion2(int slot, int flags, long guestAddress,
      MappedGuestMemory shared, int guestMemfd, long memfdOffset) throws KvmException {
    try (Memory m = new Memory(KvmStructs.MEMORY_REGION2_SIZE)) {
      encodeMemoryRegion2(m, slot, flags, guestAddress, shared.size(), shared.hostAddress(),
          guestMemfd, memfdOffset);
      fd.ioctl("KVM_SET_USER_MEMORY_REGION2", Ioctls.KVM_SET_USER_MEMORY_REGION2, m);
    }
  }

  static void encodeMemoryRegion2(Pointer m, int slot, int flags, long guestAddress, long size,
      long hostAddress, int guestMemfd, long memfdOffset) {
    m.clear(KvmStructs.MEMORY_REGION2_SIZE);
    m.setInt(KvmStructs.MEMORY_REGION2_SLOT, slot);
    m.setInt(KvmStructs.MEMORY_REGION2_FLAGS, flags);
    m.setLong(KvmStructs.MEMORY_REGION2_GUEST_PHYS_ADDR, guestAddress);
    m.setLong(KvmStructs.MEMORY_REGION2_MEMORY_SIZE, size);
    m.setLong(KvmStructs.MEMORY_REGION2_USERSPACE_ADDR, hostAddress);
    m.setLong(KvmStructs.MEMORY_REGION2_GUEST_MEMFD_OFFSET, memfdOffset);
    m.setInt(KvmStructs.MEMORY_REGION2_GUEST_MEMFD, guestMemfd);
  }

  /**
   * {@code KVM_CREATE_GUEST_MEMFD} (Linux 6.8+): returns a new file descriptor for {@code size}
   * bytes of private guest memory; the caller owns and closes it.
   */
  public int createGuestMemfd(long size, long flags) throws KvmException {
    try (Memory m = new Memory(KvmStructs.CREATE_GUEST_MEMFD_SIZE)) {
      encodeCreateGuestMemfd(m, size, flags);
      return fd.ioctl("KVM_CREATE_GUEST_MEMFD", Ioctls.KVM_CREATE_GUEST_MEMFD, m);
    }
  }

  static void encodeCreateGuestMemfd(Pointer m, long size, long flags) {
    m.clear(KvmStructs.CREATE_GUEST_MEMFD_SIZE);
    m.setLong(KvmStructs.CREATE_GUEST_MEMFD_SIZE_FIELD, size);
    m.setLong(KvmStructs.CREATE_GUEST_MEMFD_FLAGS, flags);
  }

  /** {@code KVM_SET_MEMORY_ATTRIBUTES} (Linux 6.8+), e.g. {@link #MEMORY_ATTRIBUTE_PRIVATE}. */
  public void setMemoryAttributes(long address, long size, long attributes) throws KvmException {
    try (Memory m = new Memory(KvmStructs.MEMORY_ATTRIBUTES_SIZE)) {
      encodeMemoryAttributes(m, address, size, attributes);
      fd.ioctl("KVM_SET_MEMORY_ATTRIBUTES", Ioctls.KVM_SET_MEMORY_ATTRIBUTES, m);
    }
  }

  static void encodeMemoryAttributes(Pointer m, long address, long size, long attributes) {
    m.clear(KvmStructs.MEMORY_ATTRIBUTES_SIZE);
    m.setLong(KvmStructs.MEMORY_ATTRIBUTES_ADDRESS, address);
    m.setLong(KvmStructs.MEMORY_ATTRIBUTES_SIZE_FIELD, size);
    m.setLong(KvmStructs.MEMORY_ATTRIBUTES_ATTRIBUTES, attributes);
    m.setLong(KvmStructs.MEMORY_ATTRIBUTES_FLAGS, 0);
  }

  /**
   * {@code KVM_IRQ_LINE}: sets interrupt line {@code irq} (a GSI of the in-kernel PIC/IOAPIC) to
   * {@code level}. Needs {@link #createIrqchip()}. Callable from any thread; does not block.
   */
  public void irqLine(int irq, boolean level) throws KvmException {
    try (Memory m = new Memory(KvmStructs.IRQ_LEVEL_SIZE)) {
      m.setInt(KvmStructs.IRQ_LEVEL_IRQ, irq);
      m.setInt(KvmStructs.IRQ_LEVEL_LEVEL, level ? 1 : 0);
      fd.ioctl("KVM_IRQ_LINE", Ioctls.KVM_IRQ_LINE, m);
    }
  }

  /** {@code KVM_CREATE_VCPU} and maps its {@code kvm_run} page. The vCPU must be closed first. */
  public VcpuFd createVcpu(int id) throws KvmException {
    FileHandle vcpu = new FileHandle(fd.ioctl("KVM_CREATE_VCPU", Ioctls.KVM_CREATE_VCPU, id),
        "vcpu");
    long run;
    try {
      run = LibC.mmap(0, vcpuMmapSize, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED,
          vcpu.fd(), 0);
    } catch (LastErrorException e) {
      vcpu.close();
      throw KvmException.callFailed("mmap(kvm_run)", e.getErrorCode());
    }
    return new VcpuFd(id, vcpu, run, vcpuMmapSize);
  }

  @Override
  public void close() {
    fd.close();
  }
}
