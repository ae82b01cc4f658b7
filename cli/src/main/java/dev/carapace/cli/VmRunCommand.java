package dev.carapace.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.runtime.boot.BootException;
import dev.carapace.runtime.boot.LinuxBoot;
import dev.carapace.runtime.kernel.KernelFormatException;
import dev.carapace.runtime.kernel.KernelImage;
import dev.carapace.runtime.kvm.Kvm;
import dev.carapace.runtime.kvm.KvmException;
import dev.carapace.runtime.vmm.ExitCause;
import dev.carapace.runtime.vmm.MicroVm;
import dev.carapace.runtime.vmm.MicroVmBuilder;
import dev.carapace.runtime.vmm.VmException;
import dev.carapace.runtime.vmm.VmOutcome;
import dev.carapace.tdx.measure.TdMeasurements;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code carapace vm run}: boots a kernel in a microVM with the serial console on stdout until the
 * guest resets or powers off; Ctrl-C stops the VM. A bzImage is decompressed on the host first.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Boot a Linux kernel in a microVM; the serial console goes to stdout.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:the guest reset or powered off, or Ctrl-C stopped it",
        "1:the kernel was rejected or the VM failed (triple fault, KVM error, ...)",
        "2:usage error", "3:a file could not be read or KVM is unavailable"})
final class VmRunCommand implements Callable<Integer> {
  static final String DEFAULT_APPEND = "console=ttyS0 reboot=k panic=-1 pci=off "
      + "i8042.noaux i8042.nomux i8042.dumbkbd";

  @Spec
  CommandSpec spec;

  @Option(names = "--kernel", required = true, paramLabel = "FILE",
      description = "Kernel: vmlinux (ELF) or bzImage.")
  Path kernel;

  @Option(names = "--initrd", paramLabel = "FILE", description = "Initial ramdisk.")
  Path initrd;

  @Option(names = "--append", paramLabel = "CMDLINE", defaultValue = DEFAULT_APPEND,
      description = "Kernel command line (default: ${DEFAULT-VALUE}).")
  String append;

  @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "256M",
      description = "Guest memory, bytes or with K/M/G (default: ${DEFAULT-VALUE}).")
  String memory;

  @Option(names = "--vcpus", paramLabel = "N", defaultValue = "1",
      description = "vCPU count (default: ${DEFAULT-VALUE}).")
  int vcpus;

  @Option(names = "--json", description = "After the VM ends, print one JSON object on stderr.")
  boolean json;

  @Option(names = "--print-measurements",
      description = "Before the guest starts, print its launch measurement (MRTD, RTMR0-3, as"
          + " carapace measure computes them) on stderr.")
  boolean printMeasurements;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long memoryBytes;
    try {
      memoryBytes = MemorySize.parse(memory);
    } catch (IllegalArgumentException e) {
      return fail(err, Carapace.USAGE, "USAGE", e.getMessage());
    }
    KernelImage image;
    byte[] initrdBytes = null;
    try {
      image = KernelImage.read(kernel);
      if (initrd != null) {
        initrdBytes = Files.readAllBytes(initrd);
      }
    } catch (IOException e) {
      return fail(err, Carapace.IO_ERROR, "UNREADABLE", "cannot read " + e.getMessage());
    } catch (KernelFormatException e) {
      return fail(err, Carapace.REJECTED, e.reason().name(), e.getMessage());
    }
    try (Kvm kvm = Kvm.open()) {
      LinuxBoot boot = LinuxBoot.builderDecompressingOnHost(image).initrd(initrdBytes)
          .commandLine(append).vcpus(vcpus).build();
      try (MicroVm vm = new MicroVmBuilder(kvm, Clock.systemUTC()).name("carapace-vm")
          .memorySize(memoryBytes).vcpus(vcpus).console(new WriterStream(out)).build()) {
        vm.load(boot);
        if (printMeasurements) {
          printMeasurements(err, vm.launchMeasurement().orElseThrow());
        }
        Thread stopper = new Thread(() -> {
          try {
            vm.stop();
          } catch (VmException e) {
            // the VM is ending anyway
          }
        }, "carapace-vm-ctrl-c");
        Runtime.getRuntime().addShutdownHook(stopper);
        vm.start();
        Optional<VmOutcome> outcome = Optional.empty();
        while (outcome.isEmpty()) {
          outcome = vm.awaitOutcome(Duration.ofSeconds(1));
        }
        try {
          Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException e) {
          // already shutting down (Ctrl-C): the hook is running
        }
        out.flush();
        return report(err, outcome.get());
      }
    } catch (KvmException e) {
      return fail(err, Carapace.IO_ERROR, "KVM_" + e.reason().name(), e.getMessage());
    } catch (KernelFormatException e) {
      return fail(err, Carapace.REJECTED, e.reason().name(), e.getMessage());
    } catch (VmException e) {
      if (e.getCause() instanceof BootException b) {
        return fail(err, Carapace.REJECTED, b.reason().name(), e.getMessage());
      }
      int code = e.reason() == VmException.Reason.INVALID_CONFIG ? Carapace.USAGE
          : Carapace.REJECTED;
      return fail(err, code, e.reason().name(), e.getMessage());
    } catch (IllegalArgumentException e) {
      return fail(err, Carapace.USAGE, "USAGE", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail(err, Carapace.REJECTED, "INTERRUPTED", "interrupted while the VM ran");
    }
  }

  private void printMeasurements(PrintWriter err, TdMeasurements m) {
    if (json) {
      ObjectNode n = Json.object();
      ObjectNode mm = n.putObject("measurements");
      mm.put("mrtd", m.mrTd().toHex());
      for (int i = 0; i < 4; i++) {
        mm.put("rtmr" + i, m.rtmr(i).toHex());
      }
      err.println(Json.pretty(n));
    } else {
      err.println("carapace vm run: MRTD  " + m.mrTd().toHex());
      for (int i = 0; i < 4; i++) {
        err.println("carapace vm run: RTMR" + i + " " + m.rtmr(i).toHex());
      }
    }
    err.flush();
  }

  private int report(PrintWriter err, VmOutcome outcome) {
    boolean clean = outcome.cause() == ExitCause.GUEST_RESET
        || outcome.cause() == ExitCause.GUEST_SHUTDOWN || outcome.cause() == ExitCause.STOPPED;
    if (json) {
      ObjectNode n = Json.object();
      n.put("outcome", outcome.cause().name());
      n.put("detail", outcome.detail());
      if (!clean) {
        Json.putError(n, outcome.cause().name(), outcome.detail());
      }
      err.println(Json.pretty(n));
    } else {
      err.println("carapace vm run: VM ended: " + outcome.cause() + " (" + outcome.detail() + ")");
    }
    err.flush();
    return clean ? Carapace.OK : Carapace.REJECTED;
  }

  private int fail(PrintWriter err, int code, String reason, String message) {
    if (json) {
      ObjectNode n = Json.object();
      Json.putError(n, reason, message);
      err.println(Json.pretty(n));
    } else {
      err.println("carapace vm run: " + message);
    }
    err.flush();
    return code;
  }

  /** Console bytes to the command's stdout writer (Latin-1, flushed per line). */
  private static final class WriterStream extends OutputStream {
    private final PrintWriter out;

    WriterStream(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      out.write(b & 0xff);
      if (b == '\n') {
        out.flush();
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        out.write(b[i] & 0xff);
      }
      out.flush();
    }
  }
}
