package dev.carapace.runtime.boot;

import dev.carapace.runtime.boot.BootException.Reason;
import dev.carapace.runtime.kernel.BzImage;
import dev.carapace.runtime.kernel.ElfKernel;
import dev.carapace.runtime.kernel.ElfSegment;
import dev.carapace.runtime.kernel.KernelFormatException;
import dev.carapace.runtime.kernel.KernelImage;
import dev.carapace.runtime.kernel.SetupHeader;
import dev.carapace.runtime.kernel.VmlinuxExtractor;
import dev.carapace.runtime.memory.GuestMemory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Linux direct boot through the 64-bit boot protocol, laid out as Firecracker does it (see
 * {@link BootLayout}): kernel, optional initrd, command line and vCPU count. {@link #load} writes
 * the kernel, initrd, command line, zero page (with the e820 map), GDT/IDT, identity page tables
 * and MP table into guest memory and returns the boot vCPU's registers.
 *
 * <p>Placement: a vmlinux's PT_LOAD segments go to their physical addresses and execution starts
 * at its physical entry point; a bzImage's protected-mode kernel goes to its {@code pref_address}
 * (1 MiB if it has none) and execution starts 0x200 further, at its 64-bit entry, with
 * {@code init_size} bytes reserved for it to decompress in place. The initrd goes, page-aligned,
 * as high as possible below the lowest of: the end of low RAM, the end of the identity map (1 GiB)
 * and the kernel's {@code initrd_addr_max}. Guest RAM is described as {@code [0, EBDA)} and
 * {@code [1 MiB, end)}, minus the 32-bit MMIO gap {@code [3 GiB, 4 GiB)}.
 *
 * <p>Immutable and thread-safe; {@link #load} writes only to the memory it is given.
 */
public final class LinuxBoot {
  /** Command line limit for a vmlinux, which has no header to say (Linux COMMAND_LINE_SIZE). */
  public static final int DEFAULT_COMMAND_LINE_SIZE = 2048;
  private static final long PAGE = 4096;

  private final KernelImage kernel;
  private final KernelImage kernelFile;
  private final byte @Nullable [] initrd;
  private final String commandLine;
  private final int vcpus;

  private LinuxBoot(Builder b) {
    this.kernel = Objects.requireNonNull(b.kernel, "kernel");
    this.kernelFile = b.kernelFile;
    this.initrd = b.initrd;
    this.commandLine = b.commandLine;
    this.vcpus = b.vcpus;
  }

  /** A boot that loads {@code kernel} as it is (a bzImage then decompresses itself in the guest). */
  public static Builder builder(KernelImage kernel) {
    return new Builder(kernel);
  }

  /**
   * A boot as the Carapace VMM performs it from a kernel file: a vmlinux is loaded as it is; a
   * bzImage is decompressed on the host ({@link VmlinuxExtractor}) and the vmlinux inside it is
   * loaded, while the bzImage stays the {@link #kernelFile()} that RTMR1 records. In-guest
   * decompression is far too slow where KVM emulates guest code, and this keeps {@code carapace
   * measure}, {@code carapace vm run} and the sandboxer daemon on one definition.
   *
   * @throws KernelFormatException if the bzImage payload cannot be decompressed
   */
  public static Builder builderDecompressingOnHost(KernelImage file)
      throws KernelFormatException {
    if (file instanceof BzImage bz) {
      ElfKernel vmlinux = new VmlinuxExtractor().extract(bz, VmlinuxExtractor.Progress.NONE)
          .vmlinux();
      return new Builder(vmlinux).kernelFile(file);
    }
    return new Builder(file);
  }

  /** The kernel that is loaded into guest memory. */
  public KernelImage kernel() {
    return kernel;
  }

  /**
   * The kernel file the user supplied, which the launch measurement records in RTMR1: the loaded
   * {@link #kernel()} unless the builder was told otherwise (a bzImage whose vmlinux is loaded).
   */
  public KernelImage kernelFile() {
    return kernelFile;
  }

  public String commandLine() {
    return commandLine;
  }

  public int vcpus() {
    return vcpus;
  }

  /** Whether an initrd is given (an empty one counts as none). */
  public boolean hasInitrd() {
    return initrd != null;
  }

  /** A copy of the initrd, if any. */
  public Optional<byte[]> initrd() {
    return Optional.ofNullable(initrd).map(byte[]::clone);
  }

  /** The initrd itself, not copied, for measurement; callers must not modify it. */
  byte @Nullable [] initrdBytes() {
    return initrd;
  }

  /** The command line bytes the guest receives: UTF-8, then a NUL. */
  public byte[] commandLineBytes() {
    byte[] text = commandLine.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[text.length + 1];
    System.arraycopy(text, 0, out, 0, text.length);
    return out;
  }

  /**
   * Lays the boot out in {@code memory} (which should be zero, as fresh guest memory is) and
   * returns the boot vCPU state, the e820 map and the filled regions in ascending address order.
   *
   * @throws BootException if something does not fit; nothing has been written then
   */
  public BootSetup load(GuestMemory memory) throws BootException {
    long size = memory.size();
    if (size <= BootLayout.HIMEM) {
      throw new BootException(Reason.MEMORY_TOO_SMALL, "guest memory of " + size
          + " bytes; more than 1 MiB is needed");
    }
    if (vcpus < 1 || vcpus > MpTable.MAX_CPUS) {
      throw new BootException(Reason.INVALID_VCPU_COUNT,
          "vCPU count must be 1.." + MpTable.MAX_CPUS + ", got " + vcpus);
    }
    long lowRamEnd = Math.min(size, BootLayout.MMIO_GAP_START);
    byte[] cmdline = commandLineBytes();
    checkCommandLine(cmdline);

    // Where the kernel goes and where it starts.
    long kernelStart;
    long kernelEnd;
    long entry;
    long initrdLimit = Math.min(lowRamEnd, BootLayout.IDENTITY_MAPPED_END);
    if (kernel instanceof BzImage bz) {
      SetupHeader h = bz.header();
      kernelStart = h.prefAddress() >= BootLayout.HIMEM ? h.prefAddress() : BootLayout.HIMEM;
      kernelEnd = kernelStart + Math.max(h.initSize(), bz.protectedModeSize());
      entry = kernelStart + SetupHeader.ENTRY_64_OFFSET;
      initrdLimit = Math.min(initrdLimit, h.initrdAddrMax() + 1);
    } else {
      ElfKernel elf = (ElfKernel) kernel;
      kernelStart = elf.physicalStart();
      kernelEnd = elf.physicalEnd();
      entry = elf.physicalEntryPoint();
    }
    // The 64-bit boot protocol wants the kernel's whole range (init_size for a bzImage)
    // identity-mapped, so it must lie in RAM below 1 GiB. Compare without overflow: a header may
    // carry any u64 as pref_address.
    long kernelLimit = Math.min(lowRamEnd, BootLayout.IDENTITY_MAPPED_END);
    if (kernelStart < BootLayout.HIMEM || kernelStart > kernelLimit
        || kernelEnd - kernelStart > kernelLimit - kernelStart
        || entry < kernelStart || entry - kernelStart >= kernelEnd - kernelStart) {
      throw new BootException(Reason.KERNEL_DOES_NOT_FIT, String.format(
          "kernel needs [0x%x, 0x%x) with entry 0x%x; it must lie in [0x%x, 0x%x) (RAM,"
              + " identity-mapped)", kernelStart, kernelEnd, entry, BootLayout.HIMEM,
          kernelLimit));
    }

    long[] ramdisk = null;
    if (initrd != null) {
      long top = initrdLimit & -PAGE;
      long address = (top - initrd.length) & -PAGE;
      if (initrd.length > top || address < kernelEnd) {
        throw new BootException(Reason.INITRD_DOES_NOT_FIT, String.format(
            "initrd of 0x%x bytes must fit between the kernel end 0x%x and 0x%x",
            initrd.length, kernelEnd, top));
      }
      ramdisk = new long[] {address, initrd.length};
    }

    List<E820Entry> e820 = e820(size);
    List<LoadedRegion> regions = new ArrayList<>();
    byte[] gdt = X86Tables.gdtAndIdt();
    memory.write(BootLayout.GDT, gdt);
    regions.add(new LoadedRegion(LoadedRegion.Kind.GDT, BootLayout.GDT, gdt.length));

    byte[] zeroPage = ZeroPage.build(
        kernel instanceof BzImage bz ? bz.setupHeaderBytes().toByteArray() : null,
        cmdline.length, ramdisk, e820);
    memory.write(BootLayout.ZERO_PAGE, zeroPage);
    regions.add(new LoadedRegion(LoadedRegion.Kind.ZERO_PAGE, BootLayout.ZERO_PAGE,
        zeroPage.length));

    byte[] tables = X86Tables.pageTables();
    memory.write(BootLayout.PML4, tables);
    regions.add(new LoadedRegion(LoadedRegion.Kind.PAGE_TABLES, BootLayout.PML4, tables.length));

    memory.write(BootLayout.COMMAND_LINE, cmdline);
    regions.add(new LoadedRegion(LoadedRegion.Kind.COMMAND_LINE, BootLayout.COMMAND_LINE,
        cmdline.length));

    byte[] mp = MpTable.build(vcpus, BootLayout.EBDA);
    memory.write(BootLayout.EBDA, mp);
    regions.add(new LoadedRegion(LoadedRegion.Kind.MP_TABLE, BootLayout.EBDA, mp.length));

    if (kernel instanceof BzImage bz) {
      bz.writeProtectedModeKernel(memory, kernelStart);
      regions.add(new LoadedRegion(LoadedRegion.Kind.KERNEL, kernelStart,
          bz.protectedModeSize()));
    } else {
      ElfKernel elf = (ElfKernel) kernel;
      List<ElfSegment> byAddress = new ArrayList<>(elf.segments());
      byAddress.sort(Comparator.comparingLong(ElfSegment::physicalAddress));
      for (ElfSegment s : byAddress) {
        if (s.fileSize() > 0) {
          elf.writeSegment(s, memory);
          regions.add(new LoadedRegion(LoadedRegion.Kind.KERNEL, s.physicalAddress(),
              s.fileSize()));
        }
      }
    }
    if (ramdisk != null) {
      memory.write(ramdisk[0], initrd);
      regions.add(new LoadedRegion(LoadedRegion.Kind.INITRD, ramdisk[0], ramdisk[1]));
    }
    return new BootSetup(bootCpu(entry), e820, regions);
  }

  private void checkCommandLine(byte[] cmdline) throws BootException {
    if (commandLine.indexOf('\0') >= 0) {
      throw new BootException(Reason.INVALID_COMMAND_LINE, "command line contains a NUL");
    }
    long max = DEFAULT_COMMAND_LINE_SIZE - 1;
    if (kernel instanceof BzImage bz) {
      max = bz.header().cmdlineSize();
    }
    // The command line must also end before the MP table.
    max = Math.min(max, BootLayout.EBDA - BootLayout.COMMAND_LINE - 1);
    if (cmdline.length - 1 > max) {
      throw new BootException(Reason.COMMAND_LINE_TOO_LONG, "command line of "
          + (cmdline.length - 1) + " bytes; the kernel accepts at most " + max);
    }
  }

  /** The guest's e820 map for {@code size} bytes of RAM starting at 0. */
  static List<E820Entry> e820(long size) {
    List<E820Entry> map = new ArrayList<>();
    map.add(new E820Entry(0, BootLayout.EBDA, E820Entry.RAM));
    map.add(new E820Entry(BootLayout.EBDA, BootLayout.HIMEM - BootLayout.EBDA,
        E820Entry.RESERVED));
    long lowEnd = Math.min(size, BootLayout.MMIO_GAP_START);
    map.add(new E820Entry(BootLayout.HIMEM, lowEnd - BootLayout.HIMEM, E820Entry.RAM));
    if (size > BootLayout.MMIO_GAP_END) {
      map.add(new E820Entry(BootLayout.MMIO_GAP_END, size - BootLayout.MMIO_GAP_END,
          E820Entry.RAM));
    }
    return map;
  }

  /** 64-bit long mode with paging, as Firecracker's setup_regs/setup_sregs/setup_page_tables. */
  static BootCpuState bootCpu(long entry) {
    long cr0 = 0x1 /* PE */ | 0x10 /* ET */ | 0x8000_0000L /* PG */;
    long cr4 = 0x20; // PAE
    long efer = 0x100 /* LME */ | 0x400 /* LMA */;
    return new BootCpuState(entry, BootLayout.BOOT_STACK_POINTER, BootLayout.BOOT_STACK_POINTER,
        BootLayout.ZERO_PAGE, 0x2, cr0, BootLayout.PML4, cr4, efer,
        X86Tables.segment(1), X86Tables.segment(2), X86Tables.segment(3),
        BootLayout.GDT, X86Tables.GDT_LIMIT, BootLayout.IDT, X86Tables.IDT_LIMIT);
  }

  /** Builder; not thread-safe. */
  public static final class Builder {
    private final KernelImage kernel;
    private KernelImage kernelFile;
    private byte @Nullable [] initrd;
    private String commandLine = "";
    private int vcpus = 1;

    private Builder(KernelImage kernel) {
      this.kernel = Objects.requireNonNull(kernel, "kernel");
      this.kernelFile = kernel;
    }

    /**
     * The image file the kernel came from, measured into RTMR1 instead of the loaded kernel (for
     * a vmlinux extracted from a bzImage). Defaults to the loaded kernel.
     */
    public Builder kernelFile(KernelImage file) {
      this.kernelFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /** The initrd (copied); null or empty for none. */
    public Builder initrd(byte @Nullable [] initrd) {
      this.initrd = initrd == null || initrd.length == 0 ? null : initrd.clone();
      return this;
    }

    public Builder commandLine(String commandLine) {
      this.commandLine = Objects.requireNonNull(commandLine, "commandLine");
      return this;
    }

    /** Number of vCPUs described in the MP table (default 1). */
    public Builder vcpus(int vcpus) {
      this.vcpus = vcpus;
      return this;
    }

    public LinuxBoot build() {
      return new LinuxBoot(this);
    }
  }
}
