package dev.carapace.runtime.kernel;

import static dev.carapace.runtime.kernel.LittleEndian.u16;
import static dev.carapace.runtime.kernel.LittleEndian.u32;
import static dev.carapace.runtime.kernel.LittleEndian.u64;
import static dev.carapace.runtime.kernel.LittleEndian.u8;

import dev.carapace.runtime.kernel.KernelFormatException.Reason;
import dev.carapace.runtime.memory.GuestMemory;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * An uncompressed x86-64 vmlinux: an ELF64 little-endian executable whose PT_LOAD segments are
 * loaded at their physical addresses ({@code p_paddr}), as rust-vmm's linux-loader does. The entry
 * point is {@code e_entry} if it is a physical address inside a segment (Linux links vmlinux with
 * {@code ENTRY(phys_startup_64)}), otherwise {@code e_entry} translated from a segment's virtual
 * to its physical range. Immutable.
 */
public final class ElfKernel implements KernelImage {
  static final int EM_X86_64 = 62;
  static final int PT_LOAD = 1;
  private static final int EHDR_SIZE = 64;
  private static final int PHDR_SIZE = 56;
  /** Guest physical addresses are below 2^52 on x86-64. */
  private static final long MAX_PHYSICAL = 1L << 52;

  private final byte[] image;
  private final long entryPoint;
  private final long physicalEntryPoint;
  private final List<ElfSegment> segments;

  private ElfKernel(byte[] image, long entryPoint, long physicalEntryPoint,
      List<ElfSegment> segments) {
    this.image = image;
    this.entryPoint = entryPoint;
    this.physicalEntryPoint = physicalEntryPoint;
    this.segments = List.copyOf(segments);
  }

  static boolean hasElfMagic(byte[] b) {
    return b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
  }

  /** Parses a vmlinux; the array is copied. */
  public static ElfKernel parse(byte[] image) throws KernelFormatException {
    return parseOwned(image.clone());
  }

  /** Parses an array the caller hands over (not copied; the caller must not change it). */
  static ElfKernel parseOwned(byte[] b) throws KernelFormatException {
    if (b.length > KernelImage.MAX_SIZE) {
      throw new KernelFormatException(Reason.TOO_LARGE, "vmlinux is " + b.length + " bytes");
    }
    if (!hasElfMagic(b)) {
      throw new KernelFormatException(Reason.UNKNOWN_FORMAT, "no ELF magic");
    }
    if (b.length < EHDR_SIZE) {
      throw new KernelFormatException(Reason.TRUNCATED,
          "ELF header needs 64 bytes, image has " + b.length);
    }
    if (u8(b, 4) != 2 || u8(b, 5) != 1 || u8(b, 6) != 1) {
      throw new KernelFormatException(Reason.UNSUPPORTED_ELF, "need ELFCLASS64, little-endian,"
          + " version 1; found class " + u8(b, 4) + ", data " + u8(b, 5) + ", version " + u8(b, 6));
    }
    if (u16(b, 16) != 2) {
      throw new KernelFormatException(Reason.UNSUPPORTED_ELF,
          "need e_type ET_EXEC (2), found " + u16(b, 16));
    }
    if (u16(b, 18) != EM_X86_64) {
      throw new KernelFormatException(Reason.UNSUPPORTED_ELF,
          "need e_machine EM_X86_64 (62), found " + u16(b, 18));
    }
    long entry = u64(b, 24);
    long phoff = u64(b, 32);
    int phentsize = u16(b, 54);
    int phnum = u16(b, 56);
    if (phentsize != PHDR_SIZE) {
      throw new KernelFormatException(Reason.MALFORMED_ELF,
          "e_phentsize must be 56, found " + phentsize);
    }
    if (phoff < 0 || phoff > b.length || (long) phnum * PHDR_SIZE > b.length - phoff) {
      throw new KernelFormatException(Reason.TRUNCATED, "program headers at " + phoff + " ("
          + phnum + " entries) extend past the image end " + b.length);
    }
    List<ElfSegment> loads = new ArrayList<>();
    for (int i = 0; i < phnum; i++) {
      int at = (int) phoff + i * PHDR_SIZE;
      if (u32(b, at) != PT_LOAD) {
        continue;
      }
      ElfSegment s = new ElfSegment(u64(b, at + 8), u64(b, at + 16), u64(b, at + 24),
          u64(b, at + 32), u64(b, at + 40), (int) u32(b, at + 4));
      checkSegment(i, s, b.length);
      loads.add(s);
    }
    if (loads.isEmpty()) {
      throw new KernelFormatException(Reason.MALFORMED_ELF, "no PT_LOAD segment");
    }
    checkNoOverlap(loads);
    return new ElfKernel(b, entry, physicalEntry(entry, loads), loads);
  }

  private static void checkSegment(int index, ElfSegment s, int imageLength)
      throws KernelFormatException {
    if (s.fileSize() < 0 || s.fileOffset() < 0 || s.fileOffset() > imageLength
        || s.fileSize() > imageLength - s.fileOffset()) {
      throw new KernelFormatException(Reason.TRUNCATED, "segment " + index + " (file offset "
          + s.fileOffset() + ", size " + s.fileSize() + ") extends past the image end "
          + imageLength);
    }
    if (s.memorySize() < s.fileSize()) {
      throw new KernelFormatException(Reason.MALFORMED_ELF, "segment " + index
          + " has p_memsz " + s.memorySize() + " < p_filesz " + s.fileSize());
    }
    if (s.physicalAddress() < 0 || s.physicalAddress() >= MAX_PHYSICAL
        || s.memorySize() > MAX_PHYSICAL - s.physicalAddress()) {
      throw new KernelFormatException(Reason.MALFORMED_ELF, "segment " + index
          + " physical range 0x" + Long.toHexString(s.physicalAddress()) + " + 0x"
          + Long.toHexString(s.memorySize()) + " is not a guest physical range");
    }
  }

  private static void checkNoOverlap(List<ElfSegment> loads) throws KernelFormatException {
    for (int i = 0; i < loads.size(); i++) {
      for (int j = i + 1; j < loads.size(); j++) {
        ElfSegment a = loads.get(i);
        ElfSegment c = loads.get(j);
        if (a.memorySize() > 0 && c.memorySize() > 0
            && a.physicalAddress() < c.physicalEnd() && c.physicalAddress() < a.physicalEnd()) {
          throw new KernelFormatException(Reason.MALFORMED_ELF,
              "PT_LOAD segments overlap in physical memory at 0x"
                  + Long.toHexString(Math.max(a.physicalAddress(), c.physicalAddress())));
        }
      }
    }
  }

  private static long physicalEntry(long entry, List<ElfSegment> loads)
      throws KernelFormatException {
    for (ElfSegment s : loads) {
      if (entry >= s.physicalAddress() && entry - s.physicalAddress() < s.memorySize()) {
        return entry;
      }
    }
    for (ElfSegment s : loads) {
      long delta = entry - s.virtualAddress();
      if (Long.compareUnsigned(delta, s.memorySize()) < 0) {
        return s.physicalAddress() + delta;
      }
    }
    throw new KernelFormatException(Reason.BAD_ENTRY_POINT,
        "e_entry 0x" + Long.toHexString(entry) + " lies in no PT_LOAD segment");
  }

  /** {@code e_entry} as written in the file. */
  public long entryPoint() {
    return entryPoint;
  }

  /** The guest physical address execution starts at (64-bit entry, paging identity-mapped). */
  public long physicalEntryPoint() {
    return physicalEntryPoint;
  }

  /** The PT_LOAD segments in file order. */
  public List<ElfSegment> segments() {
    return segments;
  }

  /** Lowest physical address of any segment. */
  public long physicalStart() {
    return segments.stream().mapToLong(ElfSegment::physicalAddress).min().orElseThrow();
  }

  /** End (exclusive) of the highest segment, bss included. */
  public long physicalEnd() {
    return segments.stream().mapToLong(ElfSegment::physicalEnd).max().orElseThrow();
  }

  /** Copies the file bytes of {@code segment} to its physical address in {@code memory}. */
  public void writeSegment(ElfSegment segment, GuestMemory memory) {
    if (!segments.contains(segment)) {
      throw new IllegalArgumentException("not a segment of this image: " + segment);
    }
    memory.write(segment.physicalAddress(), image, (int) segment.fileOffset(),
        (int) segment.fileSize());
  }

  /** Writes the whole file, exactly as parsed, to {@code out}. */
  public void writeFileTo(OutputStream out) throws IOException {
    out.write(image);
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
