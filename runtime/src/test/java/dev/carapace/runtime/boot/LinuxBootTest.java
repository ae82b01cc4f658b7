package dev.carapace.runtime.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.runtime.boot.BootException.Reason;
import dev.carapace.runtime.kernel.BzImage;
import dev.carapace.runtime.kernel.ElfKernel;
import dev.carapace.runtime.kernel.KernelImage;
import dev.carapace.runtime.kernel.TestKernels;
import dev.carapace.runtime.kernel.TestKernels.BzOptions;
import dev.carapace.runtime.memory.GuestMemory;
import dev.carapace.runtime.memory.HeapGuestMemory;
import dev.carapace.runtime.memory.SparseGuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Loads synthetic kernels and decodes what was written straight from guest memory, by the byte
 * offsets of Linux's boot_params, the MP specification and the x86 paging structures, without
 * going through the loader's own builders.
 */
class LinuxBootTest {
  private static final long MIB = 1 << 20;

  private static ElfKernel vmlinux() throws Exception {
    return ElfKernel.parse(TestKernels.smallVmlinux());
  }

  private static ByteBuffer page(GuestMemory m, long address, int length) {
    return ByteBuffer.wrap(m.read(address, length)).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void loadWhenVmlinuxThenZeroPageCarriesFirecrackersFields() throws Exception {
    GuestMemory m = new HeapGuestMemory(64 * MIB);
    byte[] initrd = TestKernels.pattern(100_000, 11);

    LinuxBoot.builder(vmlinux()).commandLine("console=ttyS0 reboot=k").initrd(initrd).build()
        .load(m);

    ByteBuffer zp = page(m, 0x7000, 4096);
    assertThat(zp.getShort(0x1fe) & 0xffff).isEqualTo(0xaa55);
    assertThat(zp.getInt(0x202)).isEqualTo(0x53726448); // "HdrS"
    assertThat(zp.get(0x210) & 0xff).isEqualTo(0xff); // type_of_loader
    assertThat(zp.getInt(0x228)).isEqualTo(0x20000); // cmd_line_ptr
    assertThat(zp.getInt(0x238)).isEqualTo("console=ttyS0 reboot=k".length() + 1);
    assertThat(zp.getInt(0x230)).isEqualTo(0x01000000); // kernel_alignment for ELF kernels
    long ramdisk = zp.getInt(0x218) & 0xffffffffL;
    assertThat(zp.getInt(0x21c)).isEqualTo(initrd.length);
    assertThat(ramdisk % 4096).isZero();
    assertThat(ramdisk + initrd.length).isLessThanOrEqualTo(64 * MIB).isGreaterThan(63 * MIB);
    assertThat(m.read(ramdisk, initrd.length)).isEqualTo(initrd);
    assertThat(new String(m.read(0x20000, 23), StandardCharsets.UTF_8))
        .isEqualTo("console=ttyS0 reboot=k\0");
  }

  @Test
  void loadWhenVmlinuxThenSegmentsAtPhysicalAddressesAndEntryInRip() throws Exception {
    GuestMemory m = new HeapGuestMemory(64 * MIB);

    BootSetup setup = LinuxBoot.builder(vmlinux()).build().load(m);

    assertThat(m.read(0x1000000, 40_000)).isEqualTo(TestKernels.pattern(40_000, 1));
    assertThat(m.read(0x1200000, 10_000)).isEqualTo(TestKernels.pattern(10_000, 7));
    assertThat(setup.bootCpu().rip()).isEqualTo(0x1000000);
    assertThat(setup.regions()).filteredOn(r -> r.kind() == LoadedRegion.Kind.KERNEL)
        .extracting(LoadedRegion::guestAddress).containsExactly(0x1000000L, 0x1200000L);
  }

  @Test
  void loadWhenAnyKernelThenE820DescribesLowRamEbdaAndHighRam() throws Exception {
    GuestMemory m = new HeapGuestMemory(64 * MIB);

    BootSetup setup = LinuxBoot.builder(vmlinux()).build().load(m);

    ByteBuffer zp = page(m, 0x7000, 4096);
    int n = zp.get(0x1e8) & 0xff;
    assertThat(n).isEqualTo(3);
    long[][] expected = {{0, 0x9fc00, 1}, {0x9fc00, 0x100000 - 0x9fc00, 2},
        {0x100000, 64 * MIB - 0x100000, 1}};
    for (int i = 0; i < n; i++) {
      int at = 0x2d0 + 20 * i;
      assertThat(new long[] {zp.getLong(at), zp.getLong(at + 8), zp.getInt(at + 16)})
          .as("e820[%d]", i).containsExactly(expected[i]);
    }
    assertThat(setup.e820()).containsExactly(new E820Entry(0, 0x9fc00, E820Entry.RAM),
        new E820Entry(0x9fc00, 0x60400, E820Entry.RESERVED),
        new E820Entry(0x100000, 64 * MIB - 0x100000, E820Entry.RAM));
  }

  @Test
  void e820WhenMemoryAbove4GiBThenMmioGapLeftOut() {
    long size = 6L << 30;

    assertThat(LinuxBoot.e820(size)).containsExactly(new E820Entry(0, 0x9fc00, 1),
        new E820Entry(0x9fc00, 0x60400, 2), new E820Entry(0x100000, 0xc000_0000L - 0x100000, 1),
        new E820Entry(1L << 32, size - (1L << 32), 1));
    assertThat(LinuxBoot.e820(3L << 30).get(2).size()).isEqualTo(0xc000_0000L - 0x100000);
  }

  @Test
  void loadWhenAnyKernelThenIdentityPageTablesMapFirstGiB() throws Exception {
    GuestMemory m = new HeapGuestMemory(64 * MIB);

    BootCpuState cpu = LinuxBoot.builder(vmlinux()).build().load(m).bootCpu();

    ByteBuffer pml4 = page(m, cpu.cr3(), 4096);
    long pdpt = pml4.getLong(0) & ~0xfffL;
    assertThat(pml4.getLong(0) & 0xfff).isEqualTo(0x3);
    ByteBuffer pdptPage = page(m, pdpt, 4096);
    long pd = pdptPage.getLong(0) & ~0xfffL;
    ByteBuffer pdPage = page(m, pd, 4096);
    for (int i = 0; i < 512; i++) {
      long e = pdPage.getLong(i * 8);
      assertThat(e & 0x81).as("PDE %d present, 2 MiB", i).isEqualTo(0x81);
      assertThat(e & ~0xfffL).isEqualTo((long) i << 21);
    }
    assertThat(pml4.getLong(8)).isZero();
    assertThat(pdptPage.getLong(8)).isZero();
  }

  @Test
  void loadWhenAnyKernelThenRegistersAndGdtAsFirecracker() throws Exception {
    GuestMemory m = new HeapGuestMemory(64 * MIB);

    BootCpuState cpu = LinuxBoot.builder(vmlinux()).build().load(m).bootCpu();

    ByteBuffer gdt = page(m, cpu.gdtBase(), cpu.gdtLimit() + 1);
    assertThat(new long[] {gdt.getLong(0), gdt.getLong(8), gdt.getLong(16), gdt.getLong(24)})
        .containsExactly(0L, 0x00af9b000000ffffL, 0x00cf93000000ffffL, 0x008f8b000000ffffL);
    assertThat(page(m, cpu.idtBase(), 8).getLong(0)).isZero();
    assertThat(cpu.idtLimit()).isEqualTo(7);
    assertThat(cpu.rsi()).isEqualTo(0x7000);
    assertThat(cpu.rsp()).isEqualTo(0x8ff0);
    assertThat(cpu.rbp()).isEqualTo(0x8ff0);
    assertThat(cpu.rflags()).isEqualTo(2);
    assertThat(cpu.cr0() & 0x8000_0001L).isEqualTo(0x8000_0001L);
    assertThat(cpu.cr4() & 0x20).isEqualTo(0x20);
    assertThat(cpu.efer()).isEqualTo(0x500);
    SegmentRegister cs = cpu.code();
    assertThat(cs.selector()).isEqualTo(0x08);
    assertThat(cs.longMode()).isTrue();
    assertThat(cs.db()).isFalse();
    assertThat(cs.type()).isEqualTo(0xb);
    assertThat(cs.limit()).isEqualTo(0xffffffff);
    assertThat(cpu.data().selector()).isEqualTo(0x10);
    assertThat(cpu.data().db()).isTrue();
    assertThat(cpu.taskRegister().selector()).isEqualTo(0x18);
    assertThat(cpu.taskRegister().type()).isEqualTo(0xb);
    assertThat(cpu.taskRegister().system()).isFalse();
  }

  @Test
  void loadWhenFourVcpusThenMpTableChecksumsAndEntriesAreValid() throws Exception {
    GuestMemory m = new HeapGuestMemory(64 * MIB);

    LinuxBoot.builder(vmlinux()).vcpus(4).build().load(m);

    ByteBuffer mpf = page(m, 0x9fc00, 16);
    assertThat(new String(m.read(0x9fc00, 4), StandardCharsets.US_ASCII)).isEqualTo("_MP_");
    assertThat(sum(m.read(0x9fc00, 16))).isZero();
    assertThat(mpf.get(9)).isEqualTo((byte) 4); // MP spec 1.4
    long table = mpf.getInt(4) & 0xffffffffL;
    ByteBuffer hdr = page(m, table, 44);
    assertThat(new String(m.read(table, 4), StandardCharsets.US_ASCII)).isEqualTo("PCMP");
    int length = hdr.getShort(4) & 0xffff;
    assertThat(sum(m.read(table, length))).isZero();
    assertThat(hdr.getInt(36) & 0xffffffffL).isEqualTo(0xfee00000L);

    // Walk the entries by type, as Linux's smp_read_mpc does.
    ByteBuffer t = page(m, table, length);
    int cpus = 0;
    int bsp = -1;
    int ioapicId = -1;
    int ioInterrupts = 0;
    int localInterrupts = 0;
    for (int at = 44; at < length; ) {
      int type = t.get(at) & 0xff;
      switch (type) {
        case 0 -> {
          assertThat(t.get(at + 1) & 0xff).isEqualTo(cpus);
          if ((t.get(at + 3) & 2) != 0) {
            bsp = t.get(at + 1);
          }
          assertThat(t.get(at + 3) & 1).isEqualTo(1);
          cpus++;
          at += 20;
        }
        case 2 -> {
          ioapicId = t.get(at + 1) & 0xff;
          assertThat(t.getInt(at + 4) & 0xffffffffL).isEqualTo(0xfec00000L);
          at += 8;
        }
        case 3 -> {
          assertThat(t.get(at + 7) & 0xff).isEqualTo(ioInterrupts);
          assertThat(t.get(at + 6) & 0xff).isEqualTo(ioapicId);
          ioInterrupts++;
          at += 8;
        }
        case 4 -> {
          localInterrupts++;
          at += 8;
        }
        case 1 -> at += 8;
        default -> throw new AssertionError("unknown MP entry type " + type);
      }
    }
    assertThat(cpus).isEqualTo(4);
    assertThat(bsp).isZero();
    assertThat(ioapicId).isEqualTo(5);
    assertThat(ioInterrupts).isEqualTo(24);
    assertThat(localInterrupts).isEqualTo(2);
    assertThat(hdr.getShort(34)).isEqualTo((short) (4 + 1 + 1 + 24 + 2));
  }

  @Test
  void loadWhenBzImageThenProtectedModeKernelAtPrefAddressAndHeaderCopied() throws Exception {
    BzOptions o = new BzOptions();
    byte[] image = TestKernels.bzImage(TestKernels.pattern(5000, 2), o);
    BzImage bz = (BzImage) KernelImage.parse(image);
    GuestMemory m = new HeapGuestMemory(64 * MIB);

    BootSetup setup = LinuxBoot.builder(bz).commandLine("quiet").build().load(m);

    assertThat(setup.bootCpu().rip()).isEqualTo(0x1000200);
    int pm = 4 * 512;
    assertThat(m.read(0x1000000, image.length - pm))
        .isEqualTo(java.util.Arrays.copyOfRange(image, pm, image.length));
    ByteBuffer zp = page(m, 0x7000, 4096);
    assertThat(zp.getShort(0x206)).isEqualTo((short) 0x020f); // version copied from the image
    assertThat(zp.getInt(0x230)).isEqualTo(0x200000); // the image's own kernel_alignment
    assertThat(zp.getInt(0x260)).isEqualTo(0x400000); // init_size
    assertThat(zp.get(0x210) & 0xff).isEqualTo(0xff); // but the loader's type
    assertThat(zp.getInt(0x228)).isEqualTo(0x20000);
  }

  @Test
  void loadWhenBzImageAndInitrdThenInitrdBelowInitrdAddrMax() throws Exception {
    BzOptions o = new BzOptions();
    o.initrdAddrMax = 0x2ffffff; // 48 MiB - 1
    BzImage bz = (BzImage) KernelImage.parse(TestKernels.bzImage(new byte[64], o));
    GuestMemory m = new SparseGuestMemory(256 * MIB);

    BootSetup setup = LinuxBoot.builder(bz).initrd(new byte[10_000]).build().load(m);

    LoadedRegion initrd = setup.regions().stream()
        .filter(r -> r.kind() == LoadedRegion.Kind.INITRD).findFirst().orElseThrow();
    assertThat(initrd.guestAddress() + initrd.length()).isLessThanOrEqualTo(0x3000000);
    assertThat(initrd.guestAddress()).isEqualTo(0x3000000 - 3 * 4096);
  }

  @Test
  void loadWhenMemoryAbove1GiBThenInitrdStaysInIdentityMap() throws Exception {
    GuestMemory m = new SparseGuestMemory(2L << 30);

    BootSetup setup = LinuxBoot.builder(vmlinux()).initrd(new byte[4096]).build().load(m);

    assertThat(setup.regions()).filteredOn(r -> r.kind() == LoadedRegion.Kind.INITRD)
        .extracting(LoadedRegion::guestAddress).containsExactly((1L << 30) - 4096);
  }

  @Test
  void loadWhenRegionsReturnedThenAscendingAndDisjoint() throws Exception {
    GuestMemory m = new HeapGuestMemory(64 * MIB);

    List<LoadedRegion> regions = LinuxBoot.builder(vmlinux()).initrd(new byte[5000]).vcpus(2)
        .build().load(m).regions();

    assertThat(regions).extracting(LoadedRegion::kind).containsExactly(LoadedRegion.Kind.GDT,
        LoadedRegion.Kind.ZERO_PAGE, LoadedRegion.Kind.PAGE_TABLES,
        LoadedRegion.Kind.COMMAND_LINE, LoadedRegion.Kind.MP_TABLE, LoadedRegion.Kind.KERNEL,
        LoadedRegion.Kind.KERNEL, LoadedRegion.Kind.INITRD);
    for (int i = 1; i < regions.size(); i++) {
      LoadedRegion prev = regions.get(i - 1);
      assertThat(regions.get(i).guestAddress()).isGreaterThanOrEqualTo(
          prev.guestAddress() + prev.length());
    }
  }

  @Test
  void loadWhenInputsDoNotFitThenTypedReason() throws Exception {
    ElfKernel k = vmlinux();
    assertReason(LinuxBoot.builder(k).commandLine("x".repeat(2047)).build(), 64 * MIB, null);
    assertReason(LinuxBoot.builder(k).commandLine("x".repeat(2048)).build(), 64 * MIB,
        Reason.COMMAND_LINE_TOO_LONG);
    assertReason(LinuxBoot.builder(k).commandLine("a\0b").build(), 64 * MIB,
        Reason.INVALID_COMMAND_LINE);
    assertReason(LinuxBoot.builder(k).vcpus(0).build(), 64 * MIB, Reason.INVALID_VCPU_COUNT);
    assertReason(LinuxBoot.builder(k).vcpus(255).build(), 64 * MIB, Reason.INVALID_VCPU_COUNT);
    assertReason(LinuxBoot.builder(k).build(), MIB, Reason.MEMORY_TOO_SMALL);
    assertReason(LinuxBoot.builder(k).build(), 17 * MIB, Reason.KERNEL_DOES_NOT_FIT);
    assertReason(LinuxBoot.builder(k).initrd(new byte[50 << 20]).build(), 64 * MIB,
        Reason.INITRD_DOES_NOT_FIT);
    ElfKernel low = ElfKernel.parse(TestKernels.elf(0x80000, List.of(
        new TestKernels.Segment(0x80000, 0x80000, new byte[100], 0))));
    assertReason(LinuxBoot.builder(low).build(), 64 * MIB, Reason.KERNEL_DOES_NOT_FIT);

    BzOptions o = new BzOptions();
    o.cmdlineSize = 10;
    BzImage bz = (BzImage) KernelImage.parse(TestKernels.bzImage(new byte[64], o));
    assertReason(LinuxBoot.builder(bz).commandLine("0123456789").build(), 64 * MIB, null);
    assertReason(LinuxBoot.builder(bz).commandLine("0123456789a").build(), 64 * MIB,
        Reason.COMMAND_LINE_TOO_LONG);
    BzOptions big = new BzOptions();
    big.initSize = 60 * MIB;
    BzImage needy = (BzImage) KernelImage.parse(TestKernels.bzImage(new byte[64], big));
    assertReason(LinuxBoot.builder(needy).build(), 64 * MIB, Reason.KERNEL_DOES_NOT_FIT);
    for (long pref : new long[] {0x7ffffffffffffff0L, 0x40000000L, 0x3ff00000L}) {
      BzOptions far = new BzOptions();
      far.prefAddress = pref;
      BzImage farAway = (BzImage) KernelImage.parse(TestKernels.bzImage(new byte[64], far));
      assertReason(LinuxBoot.builder(farAway).build(), 2048 * MIB, Reason.KERNEL_DOES_NOT_FIT);
    }
  }

  @Test
  void loadWhenRefusedThenNothingWritten() throws Exception {
    SparseGuestMemory m = new SparseGuestMemory(64 * MIB);

    assertThatThrownBy(() -> LinuxBoot.builder(vmlinux()).initrd(new byte[80 << 20]).build()
        .load(m)).isInstanceOf(BootException.class);

    assertThat(m.storedPages()).isZero();
  }

  private static void assertReason(LinuxBoot boot, long memory, Reason reason) {
    SparseGuestMemory m = new SparseGuestMemory(memory);
    if (reason == null) {
      org.assertj.core.api.Assertions.assertThatCode(() -> boot.load(m))
          .doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> boot.load(m)).isInstanceOfSatisfying(BootException.class,
          e -> assertThat(e.reason()).isEqualTo(reason));
    }
  }

  private static int sum(byte[] data) {
    int s = 0;
    for (byte b : data) {
      s += b;
    }
    return s & 0xff;
  }
}
