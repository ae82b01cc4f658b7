package dev.carapace.runtime.kernel;

import static dev.carapace.runtime.kernel.LittleEndian.u16;
import static dev.carapace.runtime.kernel.LittleEndian.u32;
import static dev.carapace.runtime.kernel.LittleEndian.u64;
import static dev.carapace.runtime.kernel.LittleEndian.u8;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.runtime.kernel.KernelFormatException.Reason;
import dev.carapace.runtime.memory.GuestMemory;
import java.security.MessageDigest;

/**
 * A compressed x86 Linux kernel ("bzImage") that can be booted through the 64-bit boot protocol:
 * setup header magic "HdrS", protocol 2.12 or newer, LOADED_HIGH and XLF_KERNEL_64 set (the
 * rules rust-vmm's linux-loader and Firecracker apply). Holds the setup header, the
 * protected-mode kernel (everything after the setup sectors, {@code syssize} paragraphs long) and
 * the location of the compressed vmlinux inside it. Immutable.
 */
public final class BzImage implements KernelImage {
  /** Oldest boot protocol accepted: 2.12 (xloadflags, 64-bit entry). */
  public static final int MIN_VERSION = 0x020c;
  private static final int MIN_LENGTH = 0x268;

  private final byte[] image;
  private final SetupHeader header;
  private final int protectedModeOffset;
  private final int protectedModeSize;

  private BzImage(byte[] image, SetupHeader header, int protectedModeOffset,
      int protectedModeSize) {
    this.image = image;
    this.header = header;
    this.protectedModeOffset = protectedModeOffset;
    this.protectedModeSize = protectedModeSize;
  }

  static boolean hasSetupHeader(byte[] b) {
    return b.length >= 0x206 && u32(b, 0x202) == SetupHeader.MAGIC;
  }

  /** Parses a bzImage; the array is copied. */
  public static BzImage parse(byte[] image) throws KernelFormatException {
    byte[] b = image.clone();
    if (b.length > KernelImage.MAX_SIZE) {
      throw new KernelFormatException(Reason.TOO_LARGE, "bzImage is " + b.length + " bytes");
    }
    if (!hasSetupHeader(b)) {
      throw new KernelFormatException(Reason.UNKNOWN_FORMAT, "no \"HdrS\" at offset 0x202");
    }
    if (b.length < MIN_LENGTH) {
      throw new KernelFormatException(Reason.TRUNCATED,
          "a 2.12 setup header needs " + MIN_LENGTH + " bytes, image has " + b.length);
    }
    int version = u16(b, 0x206);
    if (version < MIN_VERSION) {
      throw new KernelFormatException(Reason.UNSUPPORTED_BOOT_PROTOCOL, "boot protocol "
          + (version >> 8) + "." + (version & 0xff) + " is older than 2.12");
    }
    if (u16(b, 0x1fe) != 0xaa55) {
      throw new KernelFormatException(Reason.UNSUPPORTED_BOOT_PROTOCOL,
          "boot_flag must be 0xaa55, found 0x" + Integer.toHexString(u16(b, 0x1fe)));
    }
    int setupSects = u8(b, 0x1f1) == 0 ? 4 : u8(b, 0x1f1);
    int headerEnd = Math.min(0x202 + u8(b, 0x201), 0x290);
    SetupHeader h = new SetupHeader(setupSects, u32(b, 0x1f4), version, u8(b, 0x211),
        u32(b, 0x214), u32(b, 0x22c), u32(b, 0x230), u8(b, 0x234) != 0, u16(b, 0x236),
        u32(b, 0x238), u32(b, 0x248), u32(b, 0x24c), u64(b, 0x258), u32(b, 0x260), headerEnd);
    if (headerEnd < 0x268) {
      throw new KernelFormatException(Reason.UNSUPPORTED_BOOT_PROTOCOL, "setup header ends at 0x"
          + Integer.toHexString(headerEnd) + ", a 2.12 header reaches 0x268");
    }
    if ((h.loadflags() & SetupHeader.LOADED_HIGH) == 0) {
      throw new KernelFormatException(Reason.NOT_64_BIT, "loadflags lacks LOADED_HIGH");
    }
    if ((h.xloadflags() & SetupHeader.XLF_KERNEL_64) == 0) {
      throw new KernelFormatException(Reason.NOT_64_BIT,
          "xloadflags lacks XLF_KERNEL_64 (no 64-bit entry point)");
    }
    int pmOffset = (setupSects + 1) * 512;
    if (pmOffset >= b.length) {
      throw new KernelFormatException(Reason.TRUNCATED, "protected-mode kernel would start at "
          + pmOffset + ", image has " + b.length + " bytes");
    }
    long declared = h.syssize() * 16;
    int rest = b.length - pmOffset;
    if (declared > rest) {
      throw new KernelFormatException(Reason.TRUNCATED, "syssize declares " + declared
          + " bytes of protected-mode kernel, image has " + rest);
    }
    // syssize 0 is not valid for a 2.12 kernel, but loading everything is the safe reading.
    int pmSize = declared == 0 ? rest : (int) declared;
    if (h.payloadLength() > 0 && (h.payloadOffset() > pmSize
        || h.payloadLength() > pmSize - h.payloadOffset())) {
      throw new KernelFormatException(Reason.TRUNCATED, "payload at " + h.payloadOffset() + " + "
          + h.payloadLength() + " extends past the protected-mode kernel (" + pmSize + " bytes)");
    }
    if (h.relocatable() && Long.bitCount(h.kernelAlignment()) != 1) {
      throw new KernelFormatException(Reason.UNSUPPORTED_BOOT_PROTOCOL,
          "kernel_alignment 0x" + Long.toHexString(h.kernelAlignment()) + " is not a power of 2");
    }
    return new BzImage(b, h, pmOffset, pmSize);
  }

  public SetupHeader header() {
    return header;
  }

  /** File offset of the protected-mode kernel: {@code (setup_sects + 1) * 512}. */
  public int protectedModeOffset() {
    return protectedModeOffset;
  }

  /** Length of the protected-mode kernel: {@code syssize * 16}. */
  public int protectedModeSize() {
    return protectedModeSize;
  }

  /**
   * The setup header bytes as the file holds them ({@link SetupHeader#OFFSET} up to
   * {@link SetupHeader#headerEnd()}), to be copied into the zero page at the same offset.
   */
  public Bytes setupHeaderBytes() {
    return Bytes.copyOf(image, SetupHeader.OFFSET, header.headerEnd() - SetupHeader.OFFSET);
  }

  /** Copies the protected-mode kernel to {@code address} in {@code memory}. */
  public void writeProtectedModeKernel(GuestMemory memory, long address) {
    memory.write(address, image, protectedModeOffset, protectedModeSize);
  }

  /** The raw image; package-private for the payload extractor, which never modifies it. */
  byte[] rawImage() {
    return image;
  }

  @Override
  public int fileSize() {
    return image.length;
  }

  @Override
  public void digestFile(MessageDigest digest) {
    digest.update(image);
  }
}
