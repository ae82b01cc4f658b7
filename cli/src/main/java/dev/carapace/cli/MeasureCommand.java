package dev.carapace.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.runtime.boot.BootException;
import dev.carapace.runtime.boot.BootSetup;
import dev.carapace.runtime.boot.LaunchMeasurement;
import dev.carapace.runtime.boot.LinuxBoot;
import dev.carapace.runtime.kernel.BzImage;
import dev.carapace.runtime.kernel.KernelFormatException;
import dev.carapace.runtime.kernel.KernelImage;
import dev.carapace.runtime.memory.SparseGuestMemory;
import dev.carapace.tdx.measure.TdMeasurements;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code carapace measure}: the development TEE's launch measurement of a direct-boot guest,
 * computed offline with the VMM's own loader over sparse memory.
 */
@Command(
    name = "measure",
    mixinStandardHelpOptions = true,
    description = {
        "Compute the MRTD and RTMR0-3 that the development TEE reports for a Linux guest booted"
            + " directly from a kernel (vmlinux or bzImage), optional initrd and command line,"
            + " with the given memory size and vCPU count. Uses the same loader and measurement"
            + " code as the VMM (see runtime/README.md, \"Measured launch\"): a bzImage is"
            + " decompressed on the host and its vmlinux loaded, as carapace vm run and the"
            + " sandboxer do, while RTMR1 records the bzImage file itself.",
        "Register the printed values as reference values for the guest."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:measurements printed", "1:inputs rejected (not a kernel, does not fit in memory)",
        "2:usage error", "3:a file could not be read"})
final class MeasureCommand implements Callable<Integer> {
  /** Largest initrd read. */
  static final long MAX_INITRD = 1L << 30;
  /** Largest guest the offline layout accepts (the sparse memory stores only written pages). */

  @Spec CommandSpec spec;

  @Option(names = "--kernel", required = true, paramLabel = "FILE",
      description = "Kernel: uncompressed vmlinux (ELF) or bzImage.")
  Path kernel;

  @Option(names = "--initrd", paramLabel = "FILE", description = "Initial ramdisk.")
  Path initrd;

  @Option(names = "--append", paramLabel = "CMDLINE", defaultValue = "",
      description = "Kernel command line (default: empty).")
  String append;

  @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "256M",
      description = "Guest memory, bytes or with K/M/G suffix (default ${DEFAULT-VALUE}).")
  String memory;

  @Option(names = "--vcpus", paramLabel = "N", defaultValue = "1",
      description = "Number of vCPUs (default ${DEFAULT-VALUE}).")
  int vcpus;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long memoryBytes;
    try {
      memoryBytes = MemorySize.parse(memory);
    } catch (IllegalArgumentException e) {
      err.println("carapace measure: " + e.getMessage());
      return Carapace.USAGE;
    }
    try {
      KernelImage image = KernelImage.read(kernel);
      LinuxBoot.Builder b = LinuxBoot.builderDecompressingOnHost(image).commandLine(append)
          .vcpus(vcpus);
      if (initrd != null) {
        if (Files.size(initrd) > MAX_INITRD) {
          return reject(out, err, "INITRD_TOO_LARGE",
              "initrd is larger than " + MAX_INITRD + " bytes");
        }
        b.initrd(Files.readAllBytes(initrd));
      }
      LinuxBoot boot = b.build();
      SparseGuestMemory guest = new SparseGuestMemory(memoryBytes);
      BootSetup setup = boot.load(guest);
      TdMeasurements m = LaunchMeasurement.of(guest, setup, boot);
      if (json) {
        ObjectNode n = Json.object();
        n.put("mrtd", m.mrTd().toHex());
        for (int i = 0; i < 4; i++) {
          n.put("rtmr" + i, m.rtmr(i).toHex());
        }
        n.put("kernel_format", image instanceof BzImage ? "bzImage" : "vmlinux");
        n.put("entry", "0x" + Long.toHexString(setup.bootCpu().rip()));
        n.put("memory", memoryBytes);
        n.put("vcpus", vcpus);
        out.println(Json.pretty(n));
      } else {
        out.println("MRTD  " + m.mrTd().toHex());
        for (int i = 0; i < 4; i++) {
          out.println("RTMR" + i + " " + m.rtmr(i).toHex());
        }
      }
      return Carapace.OK;
    } catch (KernelFormatException e) {
      return reject(out, err, e.reason().name(), e.getMessage());
    } catch (BootException e) {
      return reject(out, err, e.reason().name(), e.getMessage());
    } catch (IOException e) {
      err.println("carapace measure: cannot read " + e.getMessage());
      return Carapace.IO_ERROR;
    }
  }

  private int reject(PrintWriter out, PrintWriter err, String reason, String message) {
    if (json) {
      ObjectNode n = Json.object();
      Json.putError(n, reason, message);
      out.println(Json.pretty(n));
    }
    err.println("carapace measure: " + message);
    return Carapace.REJECTED;
  }
}
