package dev.carapace.runtime.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carapace.runtime.boot.BootSetup;
import dev.carapace.runtime.boot.E820Entry;
import dev.carapace.runtime.boot.LinuxBoot;
import dev.carapace.runtime.kernel.BzImage;
import dev.carapace.runtime.kernel.DebianKernel;
import dev.carapace.runtime.kernel.KernelImage;
import dev.carapace.runtime.kernel.VmlinuxExtractor;
import dev.carapace.runtime.kvm.Kvm;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Boots Debian's cloud kernel (fetched by {@code runtime/scripts/fetch-debian-kernel.sh}) under the
 * VMM until the early console shows the banner, our command line and our e820 map. Skips without
 * the kernel or /dev/kvm. The kernel is decompressed on the host first: in-guest decompression is
 * far too slow where KVM emulates guest code (nested virtualization).
 */
@Tag("kvm")
class DebianKernelBootTest {
  private static final String COMMAND_LINE =
      "console=ttyS0 earlyprintk=serial,ttyS0,115200 reboot=k panic=-1 nomodule pci=off "
          + "i8042.noaux i8042.nomux i8042.dumbkbd";
  private static final long MEMORY = 256L << 20;

  /** Collects console text and opens the latch once every expected line has appeared. */
  private static final class Console extends OutputStream {
    private final StringBuilder text = new StringBuilder();
    private final List<String> expected;
    final CountDownLatch complete = new CountDownLatch(1);

    Console(List<String> expected) {
      this.expected = expected;
    }

    @Override
    public synchronized void write(int b) {
      text.append((char) (b & 0xff));
      if (b == '\n' && expected.stream().allMatch(s -> text.indexOf(s) >= 0)) {
        complete.countDown();
      }
    }

    synchronized String text() {
      return text.toString();
    }
  }

  private static String e820Line(E820Entry e) {
    String type = switch (e.type()) {
      case E820Entry.RAM -> "usable";
      case E820Entry.RESERVED -> "reserved";
      default -> "type " + e.type();
    };
    return String.format(Locale.ROOT, "BIOS-e820: [mem 0x%016x-0x%016x] %s", e.address(),
        e.address() + e.size() - 1, type);
  }

  @Test
  void bootWhenDebianCloudKernelThenConsoleShowsBannerCommandLineAndOurE820Map()
      throws Exception {
    Path kernelFile = DebianKernel.require();
    try (Kvm kvm = KvmTestSupport.openKvmOrSkip()) {
      KernelImage image = KernelImage.read(kernelFile);
      KernelImage kernel = image instanceof BzImage bz
          ? new VmlinuxExtractor().extract(bz, VmlinuxExtractor.Progress.NONE).vmlinux() : image;
      LinuxBoot boot = LinuxBoot.builder(kernel).commandLine(COMMAND_LINE).vcpus(1).build();

      List<String> expected = new ArrayList<>();
      Console console = new Console(expected);
      try (MicroVm vm = new MicroVmBuilder(kvm, Clock.systemUTC()).name("debian")
          .memorySize(MEMORY).console(console).build()) {
        BootSetup setup = boot.load(vm.memory());
        expected.add("Linux version");
        expected.add("Command line: " + COMMAND_LINE);
        setup.e820().forEach(e -> expected.add(e820Line(e)));
        vm.load(setup);
        vm.start();
        boolean seen = console.complete.await(90, TimeUnit.SECONDS);
        String text = console.text();
        Files.writeString(Path.of("target", "debian-boot-console.log"), text,
            StandardCharsets.UTF_8);
        assertThat(vm.outcome()).as("VM must still be running; console:\n" + text).isEmpty();
        assertThat(seen).as("console so far:\n" + text).isTrue();
        for (String line : expected) {
          assertThat(text).contains(line);
        }
      }
    }
  }
}
