package dev.carapace.runtime.kvm;

/**
 * KVM ioctl request numbers, computed with the {@code _IO/_IOR/_IOW/_IOWR} encoding of
 * {@code include/uapi/asm-generic/ioctl.h} (x86-64: 8 bits number, 8 bits type, 14 bits size, 2
 * bits direction) from the struct sizes in {@link KvmStructs}. The test {@code KvmHeaderTest}
 * compares each value with the installed {@code <linux/kvm.h>}; the TEE ioctls that older headers
 * lack are checked against the numbers in the project's TDX reference instead.
 */
final class Ioctls {
  static final int KVMIO = 0xAE;

  private static final int NR_SHIFT = 0;
  private static final int TYPE_SHIFT = 8;
  private static final int SIZE_SHIFT = 16;
  private static final int DIR_SHIFT = 30;
  private static final int NONE = 0;
  private static final int WRITE = 1;
  private static final int READ = 2;

  static final long KVM_GET_API_VERSION = io(0x00);
  static final long KVM_CREATE_VM = io(0x01);
  static final long KVM_CHECK_EXTENSION = io(0x03);
  static final long KVM_GET_VCPU_MMAP_SIZE = io(0x04);
  static final long KVM_GET_SUPPORTED_CPUID = iowr(0x05, KvmStructs.CPUID2_HEADER_SIZE);

  static final long KVM_CREATE_VCPU = io(0x41);
  static final long KVM_SET_USER_MEMORY_REGION = iow(0x46, KvmStructs.MEMORY_REGION_SIZE);
  static final long KVM_SET_TSS_ADDR = io(0x47);
  static final long KVM_SET_IDENTITY_MAP_ADDR = iow(0x48, 8);
  static final long KVM_SET_USER_MEMORY_REGION2 = iow(0x49, KvmStructs.MEMORY_REGION2_SIZE);
  static final long KVM_CREATE_IRQCHIP = io(0x60);
  static final long KVM_IRQ_LINE = iow(0x61, KvmStructs.IRQ_LEVEL_SIZE);
  static final long KVM_CREATE_PIT2 = iow(0x77, KvmStructs.PIT_CONFIG_SIZE);

  static final long KVM_RUN = io(0x80);
  static final long KVM_GET_REGS = ior(0x81, KvmStructs.REGS_SIZE);
  static final long KVM_SET_REGS = iow(0x82, KvmStructs.REGS_SIZE);
  static final long KVM_GET_SREGS = ior(0x83, KvmStructs.SREGS_SIZE);
  static final long KVM_SET_SREGS = iow(0x84, KvmStructs.SREGS_SIZE);
  static final long KVM_SET_MSRS = iow(0x89, KvmStructs.MSRS_HEADER_SIZE);
  static final long KVM_SET_SIGNAL_MASK = iow(0x8b, KvmStructs.SIGNAL_MASK_HEADER_SIZE);
  static final long KVM_GET_FPU = ior(0x8c, KvmStructs.FPU_SIZE);
  static final long KVM_SET_FPU = iow(0x8d, KvmStructs.FPU_SIZE);
  static final long KVM_GET_LAPIC = ior(0x8e, KvmStructs.LAPIC_STATE_SIZE);
  static final long KVM_SET_LAPIC = iow(0x8f, KvmStructs.LAPIC_STATE_SIZE);
  static final long KVM_SET_CPUID2 = iow(0x90, KvmStructs.CPUID2_HEADER_SIZE);

  static final long KVM_SET_MEMORY_ATTRIBUTES = iow(0xd2, KvmStructs.MEMORY_ATTRIBUTES_SIZE);
  static final long KVM_CREATE_GUEST_MEMFD = iowr(0xd4, KvmStructs.CREATE_GUEST_MEMFD_SIZE);

  private Ioctls() {}

  static long io(int nr) {
    return ioc(NONE, nr, 0);
  }

  static long ior(int nr, int size) {
    return ioc(READ, nr, size);
  }

  static long iow(int nr, int size) {
    return ioc(WRITE, nr, size);
  }

  static long iowr(int nr, int size) {
    return ioc(READ | WRITE, nr, size);
  }

  private static long ioc(int dir, int nr, int size) {
    if (size < 0 || size >= 1 << 14) {
      throw new IllegalArgumentException("ioctl size must fit 14 bits, got " + size);
    }
    return ((long) dir << DIR_SHIFT) | ((long) size << SIZE_SHIFT)
        | ((long) KVMIO << TYPE_SHIFT) | ((long) nr << NR_SHIFT);
  }
}
