package dev.carapace.runtime.kernel;

/**
 * The fields of a bzImage's setup header (Linux {@code Documentation/arch/x86/boot.rst}, "The
 * real-mode kernel header", offsets from the start of the image) that a 64-bit direct-boot loader
 * uses. All values are unsigned and held in wider types.
 *
 * @param setupSects number of 512-byte setup sectors after the boot sector (0 in the file means 4)
 * @param syssize size of the protected-mode kernel in 16-byte paragraphs
 * @param version boot protocol version, e.g. {@code 0x020f} for 2.15
 * @param loadflags {@link #LOADED_HIGH} and friends
 * @param code32Start default 32-bit entry / load address of the protected-mode kernel
 * @param initrdAddrMax highest address an initrd may occupy (inclusive)
 * @param kernelAlignment physical alignment a relocatable kernel requires
 * @param relocatable whether the protected-mode kernel may be loaded at any aligned address
 * @param xloadflags {@link #XLF_KERNEL_64} and friends
 * @param cmdlineSize longest command line the kernel accepts, without its terminating NUL
 * @param payloadOffset offset of the compressed payload from the protected-mode kernel start
 * @param payloadLength length of the compressed payload
 * @param prefAddress preferred load address (relocatable kernels)
 * @param initSize bytes of linear memory the kernel needs from its load address to decompress
 *     and initialise itself
 * @param headerEnd offset just past the setup header ({@code 0x202 + byte at 0x201}), capped at
 *     {@code 0x290}
 */
public record SetupHeader(
    int setupSects, long syssize, int version, int loadflags, long code32Start,
    long initrdAddrMax, long kernelAlignment, boolean relocatable, int xloadflags,
    long cmdlineSize, long payloadOffset, long payloadLength, long prefAddress, long initSize,
    int headerEnd) {
  /** Offset of the setup header in the image and in the zero page. */
  public static final int OFFSET = 0x1f1;
  /** "HdrS" as a little-endian u32 at offset 0x202. */
  public static final int MAGIC = 0x53726448;
  /** loadflags bit 0: the protected-mode kernel is loaded at 1 MiB or above. */
  public static final int LOADED_HIGH = 0x01;
  /** xloadflags bit 0: the kernel has the legacy 64-bit entry point at load address + 0x200. */
  public static final int XLF_KERNEL_64 = 0x01;
  /** xloadflags bit 1: kernel, boot_params, command line and initrd may be above 4 GiB. */
  public static final int XLF_CAN_BE_LOADED_ABOVE_4G = 0x02;
  /** Offset of the 64-bit entry point from the protected-mode kernel's load address. */
  public static final long ENTRY_64_OFFSET = 0x200;

  /** Major.minor boot protocol version as text, e.g. "2.15". */
  public String versionText() {
    return (version >> 8) + "." + (version & 0xff);
  }
}
