package dev.carapace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carapace.runtime.boot.BootSetup;
import dev.carapace.runtime.boot.LaunchMeasurement;
import dev.carapace.runtime.boot.LinuxBoot;
import dev.carapace.runtime.kernel.KernelImage;
import dev.carapace.runtime.memory.HeapGuestMemory;
import dev.carapace.tdx.measure.TdMeasurements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code carapace measure} computes over sparse memory; these tests recompute the same boot over
 * dense heap memory, as the VMM lays out a guest, and expect the same registers.
 */
class MeasureCommandTest {
  private static TdMeasurements onHeap(byte[] kernel, byte[] initrd, String cmdline, long memory,
      int vcpus) throws Exception {
    LinuxBoot boot = LinuxBoot.builderDecompressingOnHost(KernelImage.parse(kernel))
        .initrd(initrd).commandLine(cmdline).vcpus(vcpus).build();
    HeapGuestMemory m = new HeapGuestMemory(memory);
    BootSetup setup = boot.load(m);
    return LaunchMeasurement.of(m, setup, boot);
  }

  @Test
  void measureWhenVmlinuxInitrdAndCmdlineThenAgreesWithHeapLayout(@TempDir Path dir)
      throws Exception {
    byte[] kernel = TestImages.vmlinux();
    byte[] initrd = new byte[30_000];
    initrd[100] = 1;
    Path k = Files.write(dir.resolve("vmlinux"), kernel);
    Path i = Files.write(dir.resolve("initrd"), initrd);

    CarapaceCliTest.Run r = CarapaceCliTest.run("measure", "--kernel", k.toString(),
        "--initrd", i.toString(), "--append", "console=ttyS0 quiet", "--memory", "64M",
        "--vcpus", "2", "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode n = Json.MAPPER.readTree(r.out());
    TdMeasurements expected = onHeap(kernel, initrd, "console=ttyS0 quiet", 64 << 20, 2);
    assertThat(n.get("mrtd").asText()).isEqualTo(expected.mrTd().toHex());
    for (int j = 0; j < 4; j++) {
      assertThat(n.get("rtmr" + j).asText()).isEqualTo(expected.rtmr(j).toHex());
    }
    assertThat(n.get("kernel_format").asText()).isEqualTo("vmlinux");
    assertThat(n.get("entry").asText()).isEqualTo("0x1000000");
  }

  @Test
  void measureWhenDebianCloudKernelThenTextAgreesWithHeapLayout() throws Exception {
    Optional<Path> debian = TestImages.debianKernel();
    assumeTrue(debian.isPresent(),
        "Debian cloud kernel not found; run runtime/scripts/fetch-debian-kernel.sh");

    CarapaceCliTest.Run r = CarapaceCliTest.run("measure", "--kernel",
        debian.get().toString(), "--append", "console=ttyS0", "--memory", "96M");

    assertThat(r.exit()).as(r.err()).isZero();
    TdMeasurements expected = onHeap(Files.readAllBytes(debian.get()), null, "console=ttyS0",
        96 << 20, 1);
    assertThat(r.out().lines()).containsExactly("MRTD  " + expected.mrTd().toHex(),
        "RTMR0 " + expected.rtmr(0).toHex(), "RTMR1 " + expected.rtmr(1).toHex(),
        "RTMR2 " + expected.rtmr(2).toHex(), "RTMR3 " + expected.rtmr(3).toHex());
  }

  @Test
  void measureWhenInputsBadThenExitCodeSaysWhich(@TempDir Path dir) throws Exception {
    Path k = Files.write(dir.resolve("vmlinux"), TestImages.vmlinux());
    Path junk = Files.write(dir.resolve("junk"), new byte[5000]);

    CarapaceCliTest.Run notKernel =
        CarapaceCliTest.run("measure", "--kernel", junk.toString(), "--json");
    assertThat(notKernel.exit()).isEqualTo(1);
    assertThat(Json.MAPPER.readTree(notKernel.out()).at("/error/reason").asText())
        .isEqualTo("UNKNOWN_FORMAT");
    CarapaceCliTest.Run tooSmall = CarapaceCliTest.run("measure", "--kernel", k.toString(),
        "--memory", "16M", "--json");
    assertThat(tooSmall.exit()).isEqualTo(1);
    assertThat(Json.MAPPER.readTree(tooSmall.out()).at("/error/reason").asText())
        .isEqualTo("KERNEL_DOES_NOT_FIT");
    assertThat(CarapaceCliTest.run("measure", "--kernel", k.toString(), "--memory", "lots")
        .exit()).isEqualTo(2);
    assertThat(CarapaceCliTest.run("measure", "--kernel", k.toString(), "--memory", "1000")
        .exit()).isEqualTo(2);
    assertThat(CarapaceCliTest.run("measure", "--kernel", dir.resolve("missing").toString())
        .exit()).isEqualTo(3);
  }

  @Test
  void parseSizeWhenSuffixedThenBytes() {
    assertThat(MemorySize.parse("256M")).isEqualTo(256L << 20);
    assertThat(MemorySize.parse("4g")).isEqualTo(4L << 30);
    assertThat(MemorySize.parse("8192")).isEqualTo(8192);
  }
}
