package dev.carapace.runtime.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carapace.runtime.kvm.Kvm;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("kvm")
class MicroVmTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
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

  private MicroVmBuilder builder(String name) {
    return new MicroVmBuilder(kvm, Clock.systemUTC()).name(name).memorySize(2 << 20);
  }

  @Test
  void portIoWhenGuestWritesAndReadsThenDeviceSeesValuesAndResetEndsVm() throws Exception {
    RecordingDevice device = new RecordingDevice(0x50);
    GuestCode code = new GuestCode().movAl(0x42).outAl(0x10).inAl(0x11).outAl(0x12)
        .movAl(0xfe).outAl(0x64).hlt();
    try (MicroVm vm = builder("pio").portDevice(0x10, 4, device).build()) {
      vm.load(RawPayload.at(0x1000, code.build(), RawPayload.CpuMode.REAL));
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
}
