package dev.carapace.runtime.vmm;

import dev.carapace.runtime.devices.Bus;
import dev.carapace.runtime.devices.BusDevice;
import dev.carapace.runtime.devices.BusException;
import dev.carapace.runtime.devices.CmosRtc;
import dev.carapace.runtime.devices.ConsoleOutput;
import dev.carapace.runtime.devices.I8042;
import dev.carapace.runtime.devices.IgnoredPorts;
import dev.carapace.runtime.devices.InterruptLine;
import dev.carapace.runtime.devices.MmioDevice;
import dev.carapace.runtime.devices.Serial8250;
import dev.carapace.runtime.kvm.CpuidNormalizer;
import dev.carapace.runtime.kvm.Kvm;
import dev.carapace.runtime.kvm.KvmException;
import dev.carapace.runtime.kvm.MappedGuestMemory;
import dev.carapace.runtime.kvm.MsrEntry;
import dev.carapace.runtime.kvm.VcpuFd;
import dev.carapace.runtime.kvm.VmFd;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Configures and creates a {@link MicroVm}. {@link #build()} validates the configuration, then
 * issues the KVM calls in Firecracker's order: identity map and TSS addresses, in-kernel irqchip
 * and PIT, the memory slot, legacy devices, and per vCPU: normalized CPUID, boot MSRs, FPU and
 * LAPIC LINT0/LINT1. A failure at any step releases what was already created.
 *
 * <p>Not thread-safe; use one builder per VM.
 */
public final class MicroVmBuilder {
  public static final long DEFAULT_MEMORY = 64L << 20;
  /** Guest RAM stays below the 32-bit MMIO gap (3 GiB and up) in this single-slot layout. */
  public static final long MAX_MEMORY = 0xc000_0000L;
  public static final long DEFAULT_VCPU_STACK = 256L << 10;
  public static final int DEFAULT_UNHANDLED_MMIO_LIMIT = 10_000;
  public static final int CONSOLE_BUFFER = 64 << 10;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,47}");

  private record PortDevice(int port, int count, BusDevice device) {}

  private record MmioPlacement(long base, MmioDevice device, int irq) {}

  private final Kvm kvm;
  private final Clock clock;
  private String name = "vm";
  private long memorySize = DEFAULT_MEMORY;
  private int vcpus = 1;
  private boolean irqchip = true;
  private long unhandledMmioLimit = DEFAULT_UNHANDLED_MMIO_LIMIT;
  private long vcpuStackSize = DEFAULT_VCPU_STACK;
  private final List<OutputStream> consoleSinks = new ArrayList<>();
  private @Nullable Path consoleLog;
  private @Nullable Executor deviceExecutor;
  private final List<PortDevice> portDevices = new ArrayList<>();
  private final List<MmioPlacement> mmioDevices = new ArrayList<>();
  private Consumer<MicroVm> onClose = vm -> {};

  /** A builder creating VMs on {@code kvm}; {@code clock} feeds the guest's RTC. */
  public MicroVmBuilder(Kvm kvm, Clock clock) {
    this.kvm = Objects.requireNonNull(kvm, "kvm");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Names the VM and its threads ({@code <name>-vcpu-<n>}): 1..48 of [A-Za-z0-9._-]. */
  public MicroVmBuilder name(String name) {
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  /** Guest RAM in bytes: a multiple of 4 KiB, at least 1 MiB, below 3 GiB. */
  public MicroVmBuilder memorySize(long bytes) {
    this.memorySize = bytes;
    return this;
  }

  public MicroVmBuilder vcpus(int count) {
    this.vcpus = count;
    return this;
  }

  /**
   * Whether KVM emulates the PIC, IOAPIC, LAPICs and PIT (default true). Without it, {@code HLT}
   * exits to the VMM (and ends the VM), there are no interrupts, and only one vCPU is allowed.
   */
  public MicroVmBuilder inKernelIrqchip(boolean enabled) {
    this.irqchip = enabled;
    return this;
  }

  /** Accesses to MMIO addresses without a device tolerated before the VM is ended. */
  public MicroVmBuilder unhandledMmioLimit(long limit) {
    this.unhandledMmioLimit = limit;
    return this;
  }

  /** Stack size of each vCPU thread (default 256 KiB). */
  public MicroVmBuilder vcpuStackSize(long bytes) {
    this.vcpuStackSize = bytes;
    return this;
  }

  /** Also write the serial console to {@code sink} (not closed by the VM). */
  public MicroVmBuilder console(OutputStream sink) {
    consoleSinks.add(Objects.requireNonNull(sink, "sink"));
    return this;
  }

  /** Also append the serial console to this file (created if missing, closed with the VM). */
  public MicroVmBuilder consoleLog(Path file) {
    this.consoleLog = Objects.requireNonNull(file, "file");
    return this;
  }

  /**
   * Where device work runs (console writes). Without one, the VM starts its own single thread
   * {@code <name>-devices} and stops it on close.
   */
  public MicroVmBuilder deviceExecutor(Executor executor) {
    this.deviceExecutor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /** Places an extra port-I/O device at {@code [port, port + count)}. */
  public MicroVmBuilder portDevice(int port, int count, BusDevice device) {
    portDevices.add(new PortDevice(port, count, Objects.requireNonNull(device, "device")));
    return this;
  }

  /** Places an MMIO device at {@code base} raising interrupt {@code irq} (GSI 5..23). */
  public MicroVmBuilder mmioDevice(long base, MmioDevice device, int irq) {
    mmioDevices.add(new MmioPlacement(base, Objects.requireNonNull(device, "device"), irq));
    return this;
  }

  MicroVmBuilder onClose(Consumer<MicroVm> callback) {
    this.onClose = callback;
    return this;
  }

  /** Validates the configuration and creates the VM (state {@link VmState#CREATED}). */
  public MicroVm build() throws VmException {
    validate();
    VmFd vm = null;
    MappedGuestMemory memory = null;
    List<VcpuFd> created = new ArrayList<>();
    ConsoleOutput console = null;
    ExecutorService ownExecutor = null;
    try {
      vm = kvm.createVm();
      vm.setIdentityMapAddress(MicroVm.IDENTITY_MAP_ADDRESS);
      vm.setTssAddress(MicroVm.TSS_ADDRESS);
      if (irqchip) {
        vm.createIrqchip();
        vm.createPit2(VmFd.PIT_SPEAKER_DUMMY);
      }
      memory = MappedGuestMemory.allocate(memorySize);
      vm.setUserMemoryRegion(0, 0, memory);

      Executor executor = deviceExecutor;
      if (executor == null) {
        ownExecutor = singleThread(name + "-devices");
        executor = ownExecutor;
      }
      List<OutputStream> owned = new ArrayList<>();
      if (consoleLog != null) {
        owned.add(Files.newOutputStream(consoleLog, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND));
      }
      console = new ConsoleOutput(consoleSinks, owned, executor, CONSOLE_BUFFER);

      MicroVm[] self = new MicroVm[1];
      Serial8250 serial = new Serial8250(console, line(vm, Serial8250.COM1_IRQ));
      Bus portIo = new Bus("port I/O");
      Bus mmio = new Bus("MMIO");
      portIo.register(Serial8250.COM1_PORT, Serial8250.PORT_COUNT, serial);
      portIo.register(I8042.BASE_PORT, I8042.PORT_COUNT, new I8042(() -> self[0].end(
          new VmOutcome(ExitCause.GUEST_RESET, -1, "i8042 CPU reset (0xfe to port 0x64)"))));
      portIo.register(CmosRtc.BASE_PORT, CmosRtc.PORT_COUNT, new CmosRtc(clock));
      IgnoredPorts ignored = new IgnoredPorts();
      portIo.register(IgnoredPorts.DEBUG_PORT, 1, ignored);
      portIo.register(IgnoredPorts.PCI_CONFIG_PORT, IgnoredPorts.PCI_CONFIG_PORT_COUNT, ignored);
      for (PortDevice p : portDevices) {
        portIo.register(p.port(), p.count(), p.device());
      }
      for (MmioPlacement m : mmioDevices) {
        if (m.base() < memorySize) {
          throw new BusException(BusException.Reason.OVERLAP, "MMIO device at 0x"
              + Long.toHexString(m.base()) + " overlaps guest RAM");
        }
        mmio.register(m.base(), m.device().windowSize(), m.device());
        m.device().attach(line(vm, m.irq()));
      }

      for (int i = 0; i < vcpus; i++) {
        VcpuFd vcpu = vm.createVcpu(i);
        created.add(vcpu);
        vcpu.setCpuid(CpuidNormalizer.normalize(kvm.supportedCpuid(), i, vcpus));
        vcpu.setMsrs(MsrEntry.bootMsrs());
        vcpu.setupFpu();
        if (irqchip) {
          vcpu.setupLapicLint();
        }
      }
      MicroVm result = new MicroVm(name, vm, memory, created, console, serial, portIo, mmio,
          unhandledMmioLimit, vcpuStackSize, ownExecutor, onClose);
      self[0] = result;
      return result;
    } catch (KvmException e) {
      release(vm, memory, created, console, ownExecutor);
      throw new VmException(VmException.Reason.KVM_FAILURE,
          "creating VM " + name + " failed: " + e.getMessage(), e);
    } catch (BusException e) {
      release(vm, memory, created, console, ownExecutor);
      throw new VmException(VmException.Reason.INVALID_CONFIG,
          "VM " + name + ": " + e.getMessage(), e);
    } catch (IOException e) {
      release(vm, memory, created, console, ownExecutor);
      throw new VmException(VmException.Reason.INVALID_CONFIG,
          "VM " + name + ": cannot open console log " + consoleLog + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      release(vm, memory, created, console, ownExecutor);
      throw e;
    }
  }

  private InterruptLine line(VmFd vm, int gsi) {
    return irqchip ? new KvmInterruptLine(vm, gsi) : InterruptLine.NONE;
  }

  private static ExecutorService singleThread(String threadName) {
    return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(null, r, threadName, DEFAULT_VCPU_STACK);
          t.setDaemon(true);
          return t;
        });
  }

  private static void release(@Nullable VmFd vm, @Nullable MappedGuestMemory memory,
      List<VcpuFd> vcpus, @Nullable ConsoleOutput console,
      @Nullable ExecutorService ownExecutor) {
    for (VcpuFd v : vcpus) {
      v.close();
    }
    if (vm != null) {
      vm.close();
    }
    if (memory != null) {
      memory.close();
    }
    if (console != null) {
      console.close();
    }
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
  }

  private void validate() throws VmException {
    List<String> problems = new ArrayList<>();
    if (!NAME.matcher(name).matches()) {
      problems.add("name must be 1..48 characters of [A-Za-z0-9._-], got '" + name + "'");
    }
    if (memorySize < (1L << 20) || memorySize > MAX_MEMORY || (memorySize & 0xfff) != 0) {
      problems.add("memory must be a multiple of 4 KiB between 1 MiB and 3 GiB, got "
          + memorySize);
    }
    if (vcpus < 1 || vcpus > 254) {
      problems.add("vCPU count must be 1..254, got " + vcpus);
    }
    if (!irqchip && vcpus != 1) {
      problems.add("without the in-kernel irqchip only one vCPU is supported, got " + vcpus);
    }
    if (unhandledMmioLimit < 0) {
      problems.add("unhandled MMIO limit must not be negative");
    }
    if (vcpuStackSize < (64L << 10)) {
      problems.add("vCPU stack must be at least 64 KiB, got " + vcpuStackSize);
    }
    for (MmioPlacement m : mmioDevices) {
      if (m.irq() < 5 || m.irq() > 23) {
        problems.add("MMIO device IRQ must be a free GSI 5..23, got " + m.irq());
      }
    }
    if (!problems.isEmpty()) {
      throw new VmException(VmException.Reason.INVALID_CONFIG, String.join("; ", problems));
    }
  }
}
