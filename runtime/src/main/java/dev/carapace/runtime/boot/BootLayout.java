package dev.carapace.runtime.boot;

/**
 * Where the Linux direct-boot loader puts things in guest physical memory. The values are
 * Firecracker's ({@code src/vmm/src/arch/x86_64/layout.rs} and {@code regs.rs}), so that a guest
 * kernel that boots there boots here.
 */
public final class BootLayout {
  /** GDT: null, 64-bit code, data, TSS descriptors. */
  public static final long GDT = 0x500;
  /** IDT: one empty descriptor, right after the GDT. */
  public static final long IDT = 0x520;
  /** Linux {@code struct boot_params}, the "zero page"; RSI points here. */
  public static final long ZERO_PAGE = 0x7000;
  /** Initial stack pointer (RSP and RBP). */
  public static final long BOOT_STACK_POINTER = 0x8ff0;
  /** Identity page tables: PML4, PDPT, PD (2 MiB pages over the first 1 GiB). */
  public static final long PML4 = 0x9000;
  public static final long PDPTE = 0xa000;
  public static final long PDE = 0xb000;
  /** Kernel command line, NUL-terminated. */
  public static final long COMMAND_LINE = 0x20000;
  /** Extended BIOS data area: the MP table lives here; reserved up to {@link #HIMEM}. */
  public static final long EBDA = 0x9fc00;
  /** First byte above the legacy area: kernels are loaded at or above it. */
  public static final long HIMEM = 0x100000;
  /** End of the identity-mapped range the boot vCPU starts with. */
  public static final long IDENTITY_MAPPED_END = 1L << 30;
  /** Start of the 32-bit MMIO gap (last GiB below 4 GiB): never RAM in the e820 map. */
  public static final long MMIO_GAP_START = 0xc000_0000L;
  /** End of the 32-bit MMIO gap; RAM resumes here for guests larger than 3 GiB. */
  public static final long MMIO_GAP_END = 1L << 32;
  /** Default physical addresses of the IOAPIC and the local APICs. */
  public static final long IOAPIC = 0xfec0_0000L;
  public static final long LOCAL_APIC = 0xfee0_0000L;

  private BootLayout() {}
}
