package dev.carapace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carapace.runtime.boot.LinuxBoot;
import dev.carapace.runtime.kernel.KernelImage;
import dev.carapace.runtime.kvm.Kvm;
import dev.carapace.runtime.vmm.MicroVm;
import dev.carapace.runtime.vmm.MicroVmBuilder;
import dev.carapace.tdx.measure.TdMeasurements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code carapace measure --json} prints equals what the VMM computes at launch over its own
 * guest memory, for the same kernel, initrd, command line, memory size and vCPU count; {@code
 * carapace vm run --print-measurements} shows the same values.
 */
@Tag("kvm")
class MeasuredLaunchAgreementTest {
  private static void assumeKvm() {
    assumeTrue(Files.exists(Path.of(Kvm.DEFAULT_DEVICE)) && TestImages.kvmUsable(),
        "skipped: /dev/kvm is missing or not usable on this host");
  }

  private static TdMeasurements atLaunch(Path kernel, Path initrd, String cmdline, long memory,
      int vcpus) throws Exception {
    LinuxBoot.Builder b = LinuxBoot.builderDecompressingOnHost(KernelImage.read(kernel))
        .commandLine(cmdline).vcpus(vcpus);
    if (initrd != null) {
      b.initrd(Files.readAllBytes(initrd));
    }
    try (Kvm kvm = Kvm.open(); MicroVm vm = new MicroVmBuilder(kvm, Clock.systemUTC())
        .name("agreement").memorySize(memory).vcpus(vcpus).build()) {
      vm.load(b.build());
      return vm.launchMeasurement().orElseThrow();
    }
  }

  private static void assertSame(JsonNode printed, TdMeasurements vmm) {
    assertThat(printed.get("mrtd").asText()).isEqualTo(vmm.mrTd().toHex());
    for (int i = 0; i < 4; i++) {
      assertThat(printed.get("rtmr" + i).asText()).as("RTMR" + i)
          .isEqualTo(vmm.rtmr(i).toHex());
    }
  }

  @Test
  void measureWhenSmallVmlinuxThenJsonEqualsVmmLaunchMeasurement(@TempDir Path dir)
      throws Exception {
    assumeKvm();
    Path kernel = Files.write(dir.resolve("vmlinux"), TestImages.printThenReset("hi\n"));
    byte[] initrdBytes = new byte[50_000];
    initrdBytes[7] = 42;
    Path initrd = Files.write(dir.resolve("initrd"), initrdBytes);

    CarapaceCliTest.Run r = CarapaceCliTest.run("measure", "--kernel", kernel.toString(),
        "--initrd", initrd.toString(), "--append", "console=ttyS0 x=1", "--memory", "24M",
        "--vcpus", "2", "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    assertSame(Json.MAPPER.readTree(r.out()),
        atLaunch(kernel, initrd, "console=ttyS0 x=1", 24L << 20, 2));
  }

  @Test
  void measureWhenDebianCloudKernelThenJsonEqualsVmmLaunchMeasurement() throws Exception {
    assumeKvm();
    Optional<Path> debian = TestImages.debianKernel();
    assumeTrue(debian.isPresent(),
        "Debian cloud kernel not found; run runtime/scripts/fetch-debian-kernel.sh");

    CarapaceCliTest.Run r = CarapaceCliTest.run("measure", "--kernel",
        debian.get().toString(), "--append", "console=ttyS0", "--memory", "128M", "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    assertSame(Json.MAPPER.readTree(r.out()),
        atLaunch(debian.get(), null, "console=ttyS0", 128L << 20, 1));
  }

  @Test
  void vmRunWhenPrintMeasurementsThenStderrShowsWhatMeasurePrints(@TempDir Path dir)
      throws Exception {
    assumeKvm();
    Path kernel = Files.write(dir.resolve("vmlinux"), TestImages.printThenReset("booted\n"));
    CarapaceCliTest.Run measured = CarapaceCliTest.run("measure", "--kernel", kernel.toString(),
        "--append", "console=ttyS0", "--memory", "16M", "--json");

    CarapaceCliTest.Run run = CarapaceCliTest.run("vm", "run", "--kernel", kernel.toString(),
        "--append", "console=ttyS0", "--memory", "16M", "--print-measurements", "--json");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("booted\n");
    JsonNode printed = Json.MAPPER.readTree(run.err()).get("measurements");
    JsonNode expected = Json.MAPPER.readTree(measured.out());
    assertThat(printed.get("mrtd")).isEqualTo(expected.get("mrtd"));
    for (int i = 0; i < 4; i++) {
      assertThat(printed.get("rtmr" + i)).isEqualTo(expected.get("rtmr" + i));
    }
  }
}
