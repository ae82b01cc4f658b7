package dev.carapace.runtime.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The GDT, IDT and identity page tables of Firecracker's 64-bit Linux boot
 * ({@code arch/x86_64/regs.rs}, {@code gdt.rs}) and the segment registers derived from the GDT.
 */
final class X86Tables {
  /** Descriptor flags (access byte and flags nibble) of Firecracker's four GDT entries. */
  static final int CODE_64 = 0xa09b;
  static final int DATA = 0xc093;
  static final int TSS = 0x808b;
  static final long[] GDT = {
      0, descriptor(CODE_64, 0, 0xfffff), descriptor(DATA, 0, 0xfffff),
      descriptor(TSS, 0, 0xfffff)};
  static final int GDT_LIMIT = GDT.length * 8 - 1;
  static final int IDT_LIMIT = 7;
  /** Present | writable. */
  static final long TABLE_FLAGS = 0x03;
  /** Present | writable | page size (2 MiB). */
  static final long LARGE_PAGE_FLAGS = 0x83;

  private X86Tables() {}

  /** An 8-byte segment descriptor (Firecracker's {@code gdt_entry}). */
  static long descriptor(int flags, long base, long limit) {
    return ((base & 0xff00_0000L) << 32) | (((long) flags & 0xf0ff) << 40)
        | ((limit & 0xf_0000L) << 32) | ((base & 0x00ff_ffffL) << 16) | (limit & 0xffffL);
  }

  /** The GDT followed by the one empty IDT entry: 40 bytes for {@link BootLayout#GDT}. */
  static byte[] gdtAndIdt() {
    ByteBuffer b = ByteBuffer.allocate((int) (BootLayout.IDT - BootLayout.GDT) + 8)
        .order(ByteOrder.LITTLE_ENDIAN);
    for (long d : GDT) {
      b.putLong(d);
    }
    return b.array();
  }

  /** PML4, PDPT and PD pages (12 KiB from {@link BootLayout#PML4}) mapping 1 GiB identically. */
  static byte[] pageTables() {
    ByteBuffer b = ByteBuffer.allocate(3 * 4096).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(0, BootLayout.PDPTE | TABLE_FLAGS);
    b.putLong(4096, BootLayout.PDE | TABLE_FLAGS);
    for (int i = 0; i < 512; i++) {
      b.putLong(8192 + i * 8, ((long) i << 21) | LARGE_PAGE_FLAGS);
    }
    return b.array();
  }

  /** The KVM segment register for GDT entry {@code index} (Firecracker's kvm_segment_from_gdt). */
  static SegmentRegister segment(int index) {
    long d = GDT[index];
    long base = ((d >>> 16) & 0xff_ffffL) | ((d >>> 32) & 0xff00_0000L);
    long limit = (d & 0xffffL) | ((d >>> 32) & 0xf_0000L);
    boolean granularity = ((d >>> 55) & 1) != 0;
    if (granularity) {
      limit = (limit << 12) | 0xfff;
    }
    boolean present = ((d >>> 47) & 1) != 0;
    return new SegmentRegister(base, (int) limit, index * 8, (int) ((d >>> 40) & 0xf), present,
        (int) ((d >>> 45) & 3), ((d >>> 54) & 1) != 0, ((d >>> 44) & 1) != 0,
        ((d >>> 53) & 1) != 0, granularity, ((d >>> 52) & 1) != 0, !present);
  }
}
