package dev.carapace.runtime.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.runtime.kvm.Kvm;
import dev.carapace.runtime.kvm.MappedGuestMemory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guests assembled in the test, run on the real /dev/kvm. */
@Tag("kvm")
class MicroVmTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final long CODE = 0x1000;
  private static final long COUNTER = 0x2000;
  private static final long MMIO_BASE = 0xd000_0000L;
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

  private static MicroVmBuilder builder(String name) {
    return new MicroVmBuilder(kvm, Clock.systemUTC()).name(name).memorySize(2 << 20);
  }

  /** A 32-bit guest that increments the dword at COUNTER forever. */
  private static RawPayload spinningCounter() {
    GuestCode code = new GuestCode();
    int loop = code.position();
    code.incAbs(COUNTER).jmpTo(loop);
    return RawPayload.at(CODE, code.build(), RawPayload.CpuMode.FLAT_PROTECTED);
  }

  private static IntSupplier counter(MicroVm vm) {
    return () -> ((MappedGuestMemory) vm.memory()).readInt(COUNTER);
  }

  /** Waits (bounded) until the guest's counter exceeds {@code floor}. */
  private static int awaitCounterAbove(IntSupplier counter, int floor) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      int v = counter.getAsInt();
      if (v > floor) {
        return v;
      }
      Thread.sleep(1);
    }
    throw new AssertionError("guest counter stayed at or below " + floor);
  }

  @Test
  void portIoWhenGuestWritesAndReadsThenDeviceSeesValuesAndResetEndsVm() throws Exception {
    RecordingDevice device = new RecordingDevice(0x50);
    GuestCode code = new GuestCode().movAl(0x42).outAl(0x10).inAl(0x11).outAl(0x12)
        .movAl(0xfe).outAl(0x64).hlt();
    try (MicroVm vm = builder("pio").portDevice(0x10, 4, device).build()) {
      vm.load(RawPayload.at(CODE, code.build(), RawPayload.CpuMode.REAL));
      vm.start();
      VmOutcome outcome = vm.awaitOutcome(TIMEOUT).orElseThrow();
      assertThat(outcome.cause()).isEqualTo(ExitCause.GUEST_RESET);
      assertThat(device.writes.poll(1, TimeUnit.SECONDS))
          .isEqualTo(new RecordingDevice.Access(0, 1, 0x42));
      assertThat(device.reads.poll(1, TimeUnit.SECONDS))
          .isEqualTo(new RecordingDevice.Access(1, 1, 0x51));
      assertThat(device.writes.poll(1, TimeUnit.SECONDS))
          .isEqualTo(new RecordingDevice.Access(2, 1, 0x51));
      assertThat(vm.state()).isEqualTo(VmState.ENDED);
    }
  }

  @Test
  void mmioWhenGuestReadsAndWritesDeviceWindowThenDeviceAnswersAndRecords() throws Exception {
    RecordingDevice device = new RecordingDevice(0x1234_0000L);
    GuestCode code = new GuestCode().movEaxFromAbs(MMIO_BASE + 0x10)
        .movAbsFromEax(MMIO_BASE + 0x20).movAl(0xfe).outAl(0x64).hlt();
    try (MicroVm vm = builder("mmio").mmioDevice(MMIO_BASE, device, 5).build()) {
      vm.load(RawPayload.at(CODE, code.build(), RawPayload.CpuMode.FLAT_PROTECTED));
      vm.start();
      assertThat(vm.awaitOutcome(TIMEOUT).orElseThrow().cause())
          .isEqualTo(ExitCause.GUEST_RESET);
      assertThat(device.reads.poll(1, TimeUnit.SECONDS))
          .isEqualTo(new RecordingDevice.Access(0x10, 4, 0x1234_0010L));
      assertThat(device.writes.poll(1, TimeUnit.SECONDS))
          .isEqualTo(new RecordingDevice.Access(0x20, 4, 0x1234_0010L));
      assertThat(vm.statistics().mmioExits()).isEqualTo(2);
    }
  }

  @Test
  void hltWhenNoInKernelIrqchipThenVmEndsHalted() throws Exception {
    GuestCode code = new GuestCode().cli().hlt();
    try (MicroVm vm = builder("hlt").inKernelIrqchip(false).build()) {
      vm.load(RawPayload.at(CODE, code.build(), RawPayload.CpuMode.REAL));
      vm.start();
      VmOutcome outcome = vm.awaitOutcome(TIMEOUT).orElseThrow();
      assertThat(outcome.cause()).isEqualTo(ExitCause.HALTED);
      assertThat(outcome.vcpu()).isZero();
    }
  }

  @Test
  void serialWhenGuestWritesThr4TimesThenConsoleAndLogFileReceiveText(@TempDir Path dir)
      throws Exception {
    GuestCode code = new GuestCode();
    // mov dx, 0x3f8 ; then out dx, al per character
    code.bytes(0xba, 0xf8, 0x03);
    for (byte b : "hi!\n".getBytes(StandardCharsets.US_ASCII)) {
      code.movAl(b).bytes(0xee);
    }
    code.movAl(0xfe).outAl(0x64).hlt();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Path log = dir.resolve("console.log");
    try (MicroVm vm = builder("serial").console(console).consoleLog(log).build()) {
      vm.load(RawPayload.at(CODE, code.build(), RawPayload.CpuMode.REAL));
      vm.start();
      assertThat(vm.awaitOutcome(TIMEOUT).orElseThrow().cause())
          .isEqualTo(ExitCause.GUEST_RESET);
    }
    assertThat(console.toString(StandardCharsets.US_ASCII)).isEqualTo("hi!\n");
    assertThat(Files.readString(log)).isEqualTo("hi!\n");
  }

  @Test
  void tripleFaultWhenOneVmCrashesThenItEndsAloneAndOtherVmKeepsRunning() throws Exception {
    GuestCode crash = new GuestCode().ud2(); // #UD with an empty IDT: #DF, then triple fault
    try (MicroVm survivor = builder("survivor").build();
        MicroVm crasher = builder("crasher").build()) {
      survivor.load(spinningCounter());
      crasher.load(RawPayload.at(CODE, crash.build(), RawPayload.CpuMode.FLAT_PROTECTED));
      survivor.start();
      int before = awaitCounterAbove(counter(survivor), 0);
      crasher.start();

      VmOutcome outcome = crasher.awaitOutcome(TIMEOUT).orElseThrow();
      assertThat(outcome.cause()).isEqualTo(ExitCause.TRIPLE_FAULT);
      assertThat(crasher.state()).isEqualTo(VmState.ENDED);

      awaitCounterAbove(counter(survivor), before);
      assertThat(survivor.state()).isEqualTo(VmState.RUNNING);
      assertThat(survivor.outcome()).isEmpty();
      survivor.stop();
      assertThat(survivor.outcome().orElseThrow().cause()).isEqualTo(ExitCause.STOPPED);
    }
  }

  @Test
  void unhandledMmioWhenGuestLoopsOnMissingDeviceThenVmEndsAfterLimit() throws Exception {
    GuestCode code = new GuestCode();
    int loop = code.position();
    code.movEaxFromAbs(MMIO_BASE).jmpTo(loop);
    try (MicroVm vm = builder("bad-mmio").unhandledMmioLimit(50).build()) {
      vm.load(RawPayload.at(CODE, code.build(), RawPayload.CpuMode.FLAT_PROTECTED));
      vm.start();
      VmOutcome outcome = vm.awaitOutcome(TIMEOUT).orElseThrow();
      assertThat(outcome.cause()).isEqualTo(ExitCause.UNHANDLED_MMIO);
      assertThat(vm.statistics().unhandledMmio()).isEqualTo(51);
    }
  }

  @Test
  void pauseWhenGuestSpinsThenCounterFreezesAndResumeContinuesAndStopEnds() throws Exception {
    try (MicroVm vm = builder("spin").vcpus(2).build()) {
      vm.load(spinningCounter());
      vm.start();
      IntSupplier counter = counter(vm);
      awaitCounterAbove(counter, 0);

      vm.pause();
      assertThat(vm.state()).isEqualTo(VmState.PAUSED);
      int frozen = counter.getAsInt();
      Thread.sleep(50); // a paused guest cannot move the counter however long we look
      assertThat(counter.getAsInt()).isEqualTo(frozen);

      vm.resume();
      assertThat(vm.state()).isEqualTo(VmState.RUNNING);
      awaitCounterAbove(counter, frozen);

      vm.stop();
      assertThat(vm.state()).isEqualTo(VmState.ENDED);
      assertThat(vm.outcome().orElseThrow().cause()).isEqualTo(ExitCause.STOPPED);
    }
  }

  @Test
  void stopWhenPausedThenVmEndsStopped() throws Exception {
    try (MicroVm vm = builder("paused-stop").build()) {
      vm.load(spinningCounter());
      vm.start();
      vm.pause();
      vm.stop();
      assertThat(vm.state()).isEqualTo(VmState.ENDED);
      assertThat(vm.outcome().orElseThrow().cause()).isEqualTo(ExitCause.STOPPED);
    }
  }

  @Test
  void lifecycleWhenOperationDoesNotFitStateThenInvalidState() throws Exception {
    try (MicroVm vm = builder("states").build()) {
      assertThatThrownBy(vm::start).isInstanceOfSatisfying(VmException.class,
          e -> assertThat(e.reason()).isEqualTo(VmException.Reason.INVALID_STATE));
      assertThatThrownBy(vm::pause).isInstanceOfSatisfying(VmException.class,
          e -> assertThat(e.reason()).isEqualTo(VmException.Reason.INVALID_STATE));
      vm.load(spinningCounter());
      vm.start();
      assertThatThrownBy(vm::resume).isInstanceOfSatisfying(VmException.class,
          e -> assertThat(e.reason()).isEqualTo(VmException.Reason.INVALID_STATE));
      assertThatThrownBy(vm::start).isInstanceOfSatisfying(VmException.class,
          e -> assertThat(e.reason()).isEqualTo(VmException.Reason.INVALID_STATE));
      assertThatThrownBy(() -> vm.load(spinningCounter()))
          .isInstanceOfSatisfying(VmException.class,
              e -> assertThat(e.reason()).isEqualTo(VmException.Reason.INVALID_STATE));
      vm.stop();
      assertThatThrownBy(vm::resume).isInstanceOfSatisfying(VmException.class,
          e -> assertThat(e.reason()).isEqualTo(VmException.Reason.INVALID_STATE));
    }
  }

  @Test
  void loadWhenPayloadOutsideMemoryThenInvalidPayload() throws Exception {
    try (MicroVm vm = builder("too-far").build()) {
      assertThatThrownBy(() -> vm.load(RawPayload.at(2 << 20, new GuestCode().hlt().build(),
          RawPayload.CpuMode.REAL))).isInstanceOfSatisfying(VmException.class,
              e -> assertThat(e.reason()).isEqualTo(VmException.Reason.INVALID_PAYLOAD));
    }
  }

  @Test
  void buildWhenConfigurationInvalidThenInvalidConfig() {
    assertThatThrownBy(() -> builder("bad name!").build())
        .isInstanceOfSatisfying(VmException.class,
            e -> assertThat(e.reason()).isEqualTo(VmException.Reason.INVALID_CONFIG));
    assertThatThrownBy(() -> builder("odd-memory").memorySize((2 << 20) + 1).build())
        .isInstanceOfSatisfying(VmException.class,
            e -> assertThat(e.reason()).isEqualTo(VmException.Reason.INVALID_CONFIG));
    assertThatThrownBy(() -> builder("smp-no-irqchip").inKernelIrqchip(false).vcpus(2).build())
        .isInstanceOfSatisfying(VmException.class,
            e -> assertThat(e.reason()).isEqualTo(VmException.Reason.INVALID_CONFIG));
    assertThatThrownBy(() -> builder("clash").portDevice(0x3fa, 2, new RecordingDevice(0))
        .build()).isInstanceOfSatisfying(VmException.class,
            e -> assertThat(e.reason()).isEqualTo(VmException.Reason.INVALID_CONFIG));
  }
}
