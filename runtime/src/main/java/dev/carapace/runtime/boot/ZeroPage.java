package dev.carapace.runtime.boot;

import dev.carapace.runtime.kernel.SetupHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Builds Linux's {@code struct boot_params} (4 KiB, {@code arch/x86/include/uapi/asm/bootparam.h})
 * with the fields Firecracker's {@code configure_64bit_boot} sets.
 */
final class ZeroPage {
  static final int SIZE = 4096;
  static final int E820_ENTRIES = 0x1e8;
  static final int BOOT_FLAG = 0x1fe;
  static final int HEADER = 0x202;
  static final int TYPE_OF_LOADER = 0x210;
  static final int RAMDISK_IMAGE = 0x218;
  static final int RAMDISK_SIZE = 0x21c;
  static final int CMD_LINE_PTR = 0x228;
  static final int KERNEL_ALIGNMENT = 0x230;
  static final int CMDLINE_SIZE = 0x238;
  static final int E820_TABLE = 0x2d0;
  static final int E820_MAX = 128;
  static final int E820_ENTRY_SIZE = 20;
  /** KERNEL_LOADER_OTHER ("undefined" loader id). */
  static final int LOADER_OTHER = 0xff;
  /** Alignment Firecracker declares for vmlinux kernels, whose zero page has no header to copy. */
  static final int ELF_KERNEL_ALIGNMENT = 0x0100_0000;

  private ZeroPage() {}

  /**
   * @param setupHeader the bzImage's setup header bytes (copied at 0x1f1), or null for a vmlinux
   * @param commandLineLength bytes of command line including its NUL
   * @param ramdisk address and size of the initrd, or null
   */
  static byte[] build(byte @Nullable [] setupHeader,
      int commandLineLength, long @Nullable [] ramdisk,
      List<E820Entry> e820) {
    ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    if (setupHeader != null) {
      b.put(SetupHeader.OFFSET, setupHeader);
    } else {
      b.putInt(KERNEL_ALIGNMENT, ELF_KERNEL_ALIGNMENT);
    }
    b.put(TYPE_OF_LOADER, (byte) LOADER_OTHER);
    b.putShort(BOOT_FLAG, (short) 0xaa55);
    b.putInt(HEADER, SetupHeader.MAGIC);
    b.putInt(CMD_LINE_PTR, (int) BootLayout.COMMAND_LINE);
    b.putInt(CMDLINE_SIZE, commandLineLength);
    if (ramdisk != null) {
      b.putInt(RAMDISK_IMAGE, (int) ramdisk[0]);
      b.putInt(RAMDISK_SIZE, (int) ramdisk[1]);
    }
    if (e820.size() > E820_MAX) {
      throw new IllegalArgumentException("at most " + E820_MAX + " e820 entries");
    }
    b.put(E820_ENTRIES, (byte) e820.size());
    for (int i = 0; i < e820.size(); i++) {
      E820Entry e = e820.get(i);
      int at = E820_TABLE + i * E820_ENTRY_SIZE;
      b.putLong(at, e.address()).putLong(at + 8, e.size()).putInt(at + 16, e.type());
    }
    return b.array();
  }
}
