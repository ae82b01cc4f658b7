package dev.carapace.runtime.sandbox;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.runtime.boot.LinuxBoot;
import dev.carapace.runtime.kernel.KernelFormatException;
import dev.carapace.runtime.kernel.KernelImage;
import dev.carapace.runtime.kvm.Kvm;
import dev.carapace.runtime.sandbox.SandboxException.Reason;
import dev.carapace.runtime.vmm.DevelopmentTdQuoting;
import dev.carapace.runtime.vmm.MicroVm;
import dev.carapace.runtime.vmm.VmException;
import dev.carapace.runtime.vmm.VmManager;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Owns many microVMs in one process (a {@link VmManager}) and carries out
 * {@link SandboxRequest}s: a create reads the kernel (a bzImage is decompressed on the host, as
 * {@code carapace measure} assumes), builds the VM with its console captured, loads and measures
 * it; start, stop, delete, list, console and development quotes follow. A VM that fails (triple
 * fault, KVM error) ends alone and stays listed with its outcome until deleted.
 *
 * <p>Thread-safe; requests for different VMs proceed in parallel. {@link #close()} stops and
 * releases every VM.
 */
public final class Sandboxer implements AutoCloseable {
  /** Console bytes kept per VM (the newest ones). */
  public static final int CONSOLE_CAPTURE = 1 << 20;
  /** Largest initrd read. */
  public static final long MAX_INITRD = 512L << 20;
  private static final long FOLLOW_POLL_MS = 200;

  private record Sandbox(MicroVm vm, ConsoleCapture console, long memory) {}

  private final VmManager vms;
  private final @Nullable DevelopmentTdQuoting quoting;
  private final ConcurrentMap<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param kvm the KVM handle VMs are created on (not closed by this object)
   * @param clock time for the guests' RTC
   * @param quoting the development quoting service, or null to refuse quote requests
   */
  public Sandboxer(Kvm kvm, Clock clock, @Nullable DevelopmentTdQuoting quoting) {
    this.vms = new VmManager(Objects.requireNonNull(kvm, "kvm"),
        Objects.requireNonNull(clock, "clock"));
    this.quoting = quoting;
  }

  /** Whether quote requests are served. */
  public boolean quotingEnabled() {
    return quoting != null;
  }

  /** Creates, loads and measures a VM; it does not run yet. */
  public SandboxInfo create(SandboxRequest.Create r) throws SandboxException {
    requireOpen();
    if (sandboxes.containsKey(r.name())) {
      throw new SandboxException(Reason.ALREADY_EXISTS, "a VM named " + r.name() + " exists");
    }
    LinuxBoot boot;
    try {
      KernelImage image = KernelImage.read(Path.of(r.kernel()));
      LinuxBoot.Builder b = LinuxBoot.builderDecompressingOnHost(image)
          .commandLine(r.append()).vcpus(r.vcpus());
      if (r.initrd() != null) {
        b.initrd(KernelImage.readBounded(Path.of(r.initrd()), MAX_INITRD));
      }
      boot = b.build();
    } catch (IOException | RuntimeException e) {
      throw new SandboxException(Reason.UNREADABLE, "cannot read " + e.getMessage(), e);
    } catch (KernelFormatException e) {
      throw new SandboxException(Reason.KERNEL_REJECTED,
          e.reason() + ": " + e.getMessage(), e);
    }
    ConsoleCapture console = new ConsoleCapture(CONSOLE_CAPTURE);
    MicroVm vm;
    try {
      vm = vms.create(r.name(), b -> b.memorySize(r.memory()).vcpus(r.vcpus()).console(console));
    } catch (VmException e) {
      throw translate(e);
    }
    try {
      vm.load(boot);
    } catch (VmException e) {
      vm.close();
      throw new SandboxException(Reason.KERNEL_REJECTED, e.getMessage(), e);
    }
    vm.ended().thenRun(console::markEnded);
    sandboxes.put(r.name(), new Sandbox(vm, console, r.memory()));
    return info(r.name());
  }

  /** Starts a created VM. */
  public SandboxInfo start(String name) throws SandboxException {
    requireOpen();
    try {
      get(name).vm().start();
    } catch (VmException e) {
      throw translate(e);
    }
    return info(name);
  }

  /** Stops a VM (waiting for its vCPU threads); it stays listed with outcome {@code STOPPED}. */
  public SandboxInfo stop(String name) throws SandboxException {
    try {
      get(name).vm().stop();
    } catch (VmException e) {
      throw translate(e);
    }
    return info(name);
  }

  /** Stops a VM if it runs and releases everything it holds. */
  public void delete(String name) throws SandboxException {
    Sandbox s = sandboxes.remove(name);
    if (s == null) {
      throw notFound(name);
    }
    s.vm().close();
  }

  /** Every VM, by name. */
  public List<SandboxInfo> list() {
    List<SandboxInfo> out = new ArrayList<>();
    for (String name : new ArrayList<>(sandboxes.keySet())) {
      infoIfPresent(name).ifPresent(out::add);
    }
    out.sort(Comparator.comparing(SandboxInfo::name));
    return out;
  }

  /** One VM. */
  public SandboxInfo info(String name) throws SandboxException {
    return infoIfPresent(name).orElseThrow(() -> notFound(name));
  }

  private Optional<SandboxInfo> infoIfPresent(String name) {
    Sandbox s = sandboxes.get(name);
    if (s == null) {
      return Optional.empty();
    }
    MicroVm vm = s.vm();
    return Optional.of(new SandboxInfo(name, vm.state(), vm.vcpuCount(), s.memory(),
        vm.outcome().orElse(null), vm.launchMeasurement().orElse(null)));
  }

  /**
   * Writes the console captured so far to {@code out}, then follows it until the VM ends, the VM
   * is deleted, {@code clientGone} says the reader left (asked every 200 ms while idle) or writing
   * fails.
   *
   * @throws SandboxException {@code NOT_FOUND} if there is no such VM (before anything is written)
   */
  public void followConsole(String name, OutputStream out, BooleanSupplier clientGone)
      throws SandboxException, IOException, InterruptedException {
    Sandbox s = get(name);
    long position = 0;
    while (true) {
      ConsoleCapture.Chunk c = s.console().read(position, FOLLOW_POLL_MS, TimeUnit.MILLISECONDS);
      if (c.data.length > 0) {
        out.write(c.data);
        out.flush();
      }
      position = c.next;
      if (c.ended) {
        s.vm().flushConsole();
        ConsoleCapture.Chunk rest = s.console().read(position, 0, TimeUnit.MILLISECONDS);
        out.write(rest.data);
        out.flush();
        return;
      }
      if (c.data.length == 0 && clientGone.getAsBoolean()) {
        return;
      }
    }
  }

  /** A development TD quote over the VM's launch measurement and the report data. */
  public Bytes quote(String name, Bytes reportData) throws SandboxException {
    if (quoting == null) {
      throw new SandboxException(Reason.QUOTING_DISABLED,
          "quotes need a daemon started in development mode (--dev)");
    }
    try {
      return quoting.quote(get(name).vm(), reportData);
    } catch (VmException e) {
      throw translate(e);
    } catch (IllegalArgumentException e) {
      throw new SandboxException(Reason.INVALID_ARGUMENT, e.getMessage(), e);
    }
  }

  /** The development quoting service, if enabled (its simulator's collateral verifies quotes). */
  public Optional<DevelopmentTdQuoting> quoting() {
    return Optional.ofNullable(quoting);
  }

  /** Stops and releases every VM. Idempotent. */
  @Override
  public void close() {
    closed = true;
    sandboxes.clear();
    vms.close();
  }

  private Sandbox get(String name) throws SandboxException {
    Sandbox s = sandboxes.get(name);
    if (s == null) {
      throw notFound(name);
    }
    return s;
  }

  private void requireOpen() throws SandboxException {
    if (closed) {
      throw new SandboxException(Reason.SHUTTING_DOWN, "the sandboxer is shutting down");
    }
  }

  private static SandboxException notFound(String name) {
    return new SandboxException(Reason.NOT_FOUND,
        "no VM named " + RequestParser.abbreviate(name));
  }

  private static SandboxException translate(VmException e) {
    Reason r = switch (e.reason()) {
      case INVALID_CONFIG -> Reason.INVALID_ARGUMENT;
      case INVALID_STATE -> Reason.INVALID_STATE;
      case INVALID_PAYLOAD -> Reason.KERNEL_REJECTED;
      case DUPLICATE_NAME -> Reason.ALREADY_EXISTS;
      case KVM_FAILURE, TIMEOUT -> Reason.VM_FAILURE;
      case NOT_MEASURED -> Reason.NOT_MEASURED;
      case QUOTE_FAILED -> Reason.QUOTE_FAILED;
    };
    return new SandboxException(r, e.getMessage(), e);
  }
}
