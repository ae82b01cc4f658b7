package dev.carapace.runtime.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carapace.runtime.boot.BootCpuState;
import dev.carapace.runtime.boot.BootSetup;
import dev.carapace.runtime.boot.E820Entry;
import dev.carapace.runtime.boot.LoadedRegion;
import dev.carapace.runtime.boot.SegmentRegister;
import dev.carapace.runtime.kvm.Kvm;
import dev.carapace.runtime.kvm.SpecialRegisters;
import dev.carapace.runtime.memory.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Applies a {@link BootSetup} built the way the Linux boot loader builds one (GDT at 0x500, identity
 * page tables at 0x9000, 64-bit code segment, RSI = zero page) and runs 64-bit code under it.
 */
@Tag("kvm")
class LongModeBootTest {
  private static final long GDT = 0x500;
  private static final long PML4 = 0x9000;
  private static final long ZERO_PAGE = 0x7000;
  private static final long ENTRY = 0x10_0000;
  private static Kvm kvm;

  @BeforeAll
  static void openKvm() {
    kvm = KvmTestSupport.openKvmOrSkip();
  }

  @AfterAll
  static void closeKvm() {
    if (kvm != null) {
      kvm.close();
    }
  }

  @Test
  void loadWhenBootSetupDescribesLongModeThenGuestRuns64BitCodeWithRsiAtZeroPage()
      throws Exception {
    RecordingDevice device = new RecordingDevice(0);
    try (MicroVm vm = new MicroVmBuilder(kvm, Clock.systemUTC()).name("long-mode")
        .memorySize(4 << 20).portDevice(0x10, 2, device).build()) {
      BootSetup setup = writeLongModeBoot(vm.memory());
      vm.load(setup);
      vm.start();
      assertThat(vm.awaitOutcome(Duration.ofSeconds(30)).orElseThrow().cause())
          .isEqualTo(ExitCause.GUEST_RESET);
      assertThat(device.writes.poll(1, TimeUnit.SECONDS))
          .isEqualTo(new RecordingDevice.Access(0, 1, 0x77));
      assertThat(device.writes.poll(1, TimeUnit.SECONDS))
          .as("second byte of RSI (0x7000)").isEqualTo(new RecordingDevice.Access(1, 1, 0x70));
    }
  }

  private static BootSetup writeLongModeBoot(GuestMemory memory) {
    ByteBuffer gdt = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    gdt.putLong(0).putLong(0x00af9b000000ffffL).putLong(0x00cf93000000ffffL)
        .putLong(0x008f8b000000ffffL);
    memory.write(GDT, gdt.array());
    ByteBuffer tables = ByteBuffer.allocate(3 * 4096).order(ByteOrder.LITTLE_ENDIAN);
    tables.putLong(0, (PML4 + 0x1000) | 0x03);
    tables.putLong(0x1000, (PML4 + 0x2000) | 0x03);
    for (int i = 0; i < 512; i++) {
      tables.putLong(0x2000 + i * 8, ((long) i << 21) | 0x83);
    }
    memory.write(PML4, tables.array());
    byte[] code = new GuestCode().movAl(0x77).outAl(0x10)
        .bytes(0x48, 0x89, 0xf0) // mov rax, rsi
        .bytes(0x48, 0xc1, 0xe8, 0x08) // shr rax, 8
        .outAl(0x11).movAl(0xfe).outAl(0x64).hlt().build().toByteArray();
    memory.write(ENTRY, code);

    SegmentRegister cs = new SegmentRegister(0, 0xffff_ffff, 0x08, 0xb, true, 0, false, true,
        true, true, false, false);
    SegmentRegister ds = new SegmentRegister(0, 0xffff_ffff, 0x10, 0x3, true, 0, true, true,
        false, true, false, false);
    SegmentRegister tr = new SegmentRegister(0, 0xffff_ffff, 0x18, 0xb, true, 0, false, false,
        false, true, false, false);
    BootCpuState cpu = new BootCpuState(ENTRY, 0x8ff0, 0x8ff0, ZERO_PAGE, 0x2,
        SpecialRegisters.CR0_PE | SpecialRegisters.CR0_PG | SpecialRegisters.CR0_ET, PML4,
        SpecialRegisters.CR4_PAE, SpecialRegisters.EFER_LME | SpecialRegisters.EFER_LMA,
        cs, ds, tr, GDT, 31, 0x520, 7);
    return new BootSetup(cpu,
        List.of(new E820Entry(0, 0x9fc00, E820Entry.RAM),
            new E820Entry(0x10_0000, memory.size() - 0x10_0000, E820Entry.RAM)),
        List.of(new LoadedRegion(LoadedRegion.Kind.GDT, GDT, 32),
            new LoadedRegion(LoadedRegion.Kind.PAGE_TABLES, PML4, 3 * 4096),
            new LoadedRegion(LoadedRegion.Kind.KERNEL, ENTRY, code.length)));
  }
}
